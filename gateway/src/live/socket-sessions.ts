import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
import type { Principal, TokenService } from "@lotgraph/kit";
import type { SocketAdmission } from "./socket-admission.ts";
import { LIVE_CLOSE } from "./socket-limits.ts";

/** One signed-in socket: the session its connection_init opened, checked once, used by every operation. */
export interface SocketSession {
  /** Names the socket in subscriber ids (`<session id>:<operation id>`). */
  id: string;
  principal: Principal;
  /** The connection_init token, which the socket's subgraph fetches carry. */
  token: string;
  expiresAt: Date | null;
  /** Ids of the subscriptions open on the socket. */
  subscriptions: Set<string>;
}

/**
 * The sessions of signed-in sockets. A socket's token is verified once, when its connection_init
 * arrives (signature, claims and expiry, by the same TokenService the subgraphs use); every
 * operation on the socket then runs as that session. A timer closes the socket with 4403 when
 * the token expires.
 */
export class SocketSessions {
  readonly #sessions = new WeakMap<WebSocket, SocketSession>();

  constructor(
    private readonly tokens: TokenService,
    private readonly admission: SocketAdmission,
  ) {}

  /**
   * Opens the session of `connection_init`'s token; null refuses the socket (graphql-ws then
   * closes it with 4403 before acknowledging anything, unless a cap closed it already).
   */
  async open(socket: WebSocket, token: string | null): Promise<SocketSession | null> {
    const verified = token ? await this.tokens.session(token) : null;
    if (!verified || !token) return null;
    // Closed while its token was checked: nothing to count (its close event has passed).
    if (socket.readyState !== socket.OPEN) return null;
    if (!this.admission.signIn(socket, verified.principal.id)) return null;
    const session: SocketSession = {
      id: randomUUID(),
      principal: verified.principal,
      token,
      expiresAt: verified.expiresAt,
      subscriptions: new Set(),
    };
    this.#sessions.set(socket, session);
    const expiry = verified.expiresAt ? expiryTimer(socket, verified.expiresAt) : null;
    socket.once("close", () => {
      if (expiry) clearTimeout(expiry);
      this.#sessions.delete(socket);
    });
    return session;
  }

  /** The socket's session, or undefined before its connection_init was accepted. */
  of(socket: WebSocket): SocketSession | undefined {
    return this.#sessions.get(socket);
  }
}

/** Closes the socket with 4403 when its token expires. */
function expiryTimer(socket: WebSocket, expiresAt: Date): NodeJS.Timeout {
  // setTimeout cannot wait longer than about 24.8 days; longer tokens are re-checked on subscribe.
  const wait = Math.min(expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
  const timer = setTimeout(() => socket.close(LIVE_CLOSE.forbidden, "token expired"), wait);
  timer.unref();
  return timer;
}

/** The token of connection_init: `{ authorization: "Bearer …" }` (as HTTP) or `{ token: "…" }`. */
export function tokenOf(params: Record<string, unknown> | undefined): string | null {
  const authorization = params?.["authorization"] ?? params?.["Authorization"];
  if (typeof authorization === "string") return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
  const token = params?.["token"];
  return typeof token === "string" && token.length > 0 ? token : null;
}
