import { createClient, type Client } from "graphql-ws";
import type { LiveStatus } from "./live-status";

/** The gateway serves graphql-ws on the same path as HTTP; only the scheme differs. */
export function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/**
 * A graphql-ws client for the gateway's live schema. The token is read on every (re)connect, so a
 * new sign-in is picked up without recreating the client; `lazy` keeps the socket closed until the
 * first subscription.
 */
export function createLiveClient(
  gatewayUrl: string,
  getToken: () => string | null,
  onStatus: (status: LiveStatus) => void = () => undefined,
): Client {
  let connectedOnce = false;
  return createClient({
    url: toWebSocketUrl(gatewayUrl),
    lazy: true,
    retryAttempts: Infinity,
    // Floor displays stay open for a shift: keep trying, backing off up to about half a minute.
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * 2 ** retries) * (0.5 + Math.random() / 2))),
    // graphql-ws gives up on close codes it deems fatal; a restarted gateway (1001) or a full one
    // (1013) is worth retrying, and 4403 too, since the token is read again on each connect.
    shouldRetry: () => true,
    keepAlive: 10_000,
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: () => {
        connectedOnce = true;
        onStatus("live");
      },
      closed: () => onStatus(connectedOnce ? "reconnecting" : "connecting"),
    },
  });
}
