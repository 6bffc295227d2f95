"use client";

import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type Exchange } from "@urql/core";
import { clearToken, readToken } from "./auth-token";
import { isUnauthenticated } from "./errors";
import { setLiveStatus } from "./live-status";
import { createLiveClient } from "./ws";

/** Subscriptions over graphql-ws to the gateway's /graphql (browser only: the server renders no live data). */
function liveExchange(gatewayUrl: string): Exchange {
  const live = createLiveClient(gatewayUrl, readToken, setLiveStatus);
  return subscriptionExchange({
    forwardSubscription(request) {
      const operation = { ...request, query: request.query ?? "" };
      return {
        subscribe(sink) {
          return { unsubscribe: live.subscribe(operation, sink) };
        },
      };
    },
  });
}

function createLotgraphClient(gatewayUrl: string): Client {
  return new Client({
    url: gatewayUrl,
    exchanges: [
      mapExchange({
        onError(error) {
          // Any UNAUTHENTICATED answer means the token is gone or expired; dropping it sends every
          // guarded page back to /login (see RequireAuth) without each query handling it.
          if (isUnauthenticated(error) && readToken() !== null) clearToken();
        },
      }),
      cacheExchange,
      fetchExchange,
      ...(typeof window === "undefined" ? [] : [liveExchange(gatewayUrl)]),
    ],
    // POST with a JSON body: queries stay out of URLs and proxy logs, and the gateway's CSRF
    // prevention accepts it without extra headers.
    preferGetMethod: false,
    fetchOptions: () => {
      const token = readToken();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
  });
}

let browserClient: { url: string; client: Client } | undefined;

/**
 * One client per browser session, so its cache survives navigation. On the server a fresh client
 * per call keeps one visitor's cache from leaking to another (nothing authenticated is fetched
 * there anyway: the token lives in the browser).
 */
export function getLotgraphClient(gatewayUrl: string): Client {
  if (typeof window === "undefined") return createLotgraphClient(gatewayUrl);
  if (browserClient?.url !== gatewayUrl) {
    browserClient = { url: gatewayUrl, client: createLotgraphClient(gatewayUrl) };
  }
  return browserClient.client;
}
