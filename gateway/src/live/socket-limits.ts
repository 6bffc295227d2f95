import { CloseCode } from "graphql-ws";

export interface LiveSocketLimits {
  /** Open sockets per process; one more is accepted and closed at once with 1013 (default 5000). */
  maxConnections: number;
  /**
   * Open sockets from one network address (default 500: a plant's floor displays often share one
   * address behind its router). One more is closed with 1013.
   */
  maxConnectionsPerAddress: number;
  /**
   * Sockets from one address that have not yet signed in with connection_init (default 20),
   * counted apart: without a token they cannot use a signed-in user's room. One more: 1013.
   */
  maxUnauthenticatedPerAddress: number;
  /**
   * Signed-in sockets of one user or service account (default 200: a display account may drive
   * many screens). One more is closed with 1013 after its connection_init.
   */
  maxConnectionsPerPrincipal: number;
  /** Subscriptions open at once on one socket (default 50). */
  maxSubscriptionsPerConnection: number;
  /** Interval of the server's WebSocket pings; a socket silent for two of them is dropped (default 12 s). */
  keepAliveMs: number;
  /** Time a client has to send connection_init (default 5 s; then 4408). */
  connectionInitTimeoutMs: number;
}

export const DEFAULT_LIVE_SOCKET_LIMITS: LiveSocketLimits = {
  maxConnections: 5_000,
  maxConnectionsPerAddress: 500,
  maxUnauthenticatedPerAddress: 20,
  maxConnectionsPerPrincipal: 200,
  maxSubscriptionsPerConnection: 50,
  keepAliveMs: 12_000,
  connectionInitTimeoutMs: 5_000,
};

/** Close codes the live layer sends, beside graphql-ws's own (4400, 4408, 4409, 4429, 4500). */
export const LIVE_CLOSE = {
  /** No valid token in connection_init, or it expired: sign in again, then reconnect. */
  forbidden: CloseCode.Forbidden,
  /** The process holds its maximum of sockets: retry later, or on another replica. */
  tryAgainLater: 1013,
  /** The gateway is shutting down: reconnect (to another replica), query, subscribe again. */
  goingAway: 1001,
} as const;
