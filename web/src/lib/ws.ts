import { createClient, type Client } from "graphql-ws";

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
export function createLiveClient(gatewayUrl: string, getToken: () => string | null): Client {
  return createClient({
    url: toWebSocketUrl(gatewayUrl),
    lazy: true,
    retryAttempts: Infinity,
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
}
