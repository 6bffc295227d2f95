const DEFAULT_GATEWAY_URL = "http://localhost:4000/graphql";

/**
 * The gateway URL the web server calls (its readiness), read when a request is served rather than
 * when the app is built. Next inlines `process.env.NEXT_PUBLIC_*` at build time; a prebuilt app
 * started next to a gateway on a random port (tests, `npm start`) must still find it.
 */
export function gatewayUrl(): string {
  const env: Record<string, string | undefined> = process.env;
  return env["LOTGRAPH_GATEWAY_URL"] || env["NEXT_PUBLIC_GATEWAY_URL"] || DEFAULT_GATEWAY_URL;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * The gateway URL a browser uses. `LOTGRAPH_PUBLIC_GATEWAY_URL` when set (a proxy, TLS, another
 * host). Otherwise the gateway beside this server, reached by the name the browser used for this
 * page: a tablet that opened http://10.1.4.20:3000 calls http://10.1.4.20:4000/graphql, not its
 * own localhost. `host` is the request's Host header.
 */
export function publicGatewayUrl(host: string | null): string {
  const env: Record<string, string | undefined> = process.env;
  const configured = env["LOTGRAPH_PUBLIC_GATEWAY_URL"];
  if (configured) return configured;
  const url = new URL(gatewayUrl());
  const pageHost = host ? hostnameOf(host) : null;
  if (pageHost && LOOPBACK.has(url.hostname)) url.hostname = pageHost;
  return url.toString();
}

/** The host name of a Host header ("10.1.4.20:3000" → "10.1.4.20", "[::1]:3000" → "[::1]"). */
function hostnameOf(host: string): string | null {
  try {
    return new URL(`http://${host}`).hostname || null;
  } catch {
    return null;
  }
}
