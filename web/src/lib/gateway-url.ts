const DEFAULT_GATEWAY_URL = "http://localhost:4000/graphql";

/**
 * The gateway URL, read when a request is served rather than when the app is built. Next inlines
 * `process.env.NEXT_PUBLIC_*` at build time; a prebuilt app started next to a gateway on a random
 * port (tests, `npm start`) must still find it, so the value is read through an alias and handed
 * to the client by the root layout.
 */
export function gatewayUrl(): string {
  const env: Record<string, string | undefined> = process.env;
  return env["LOTGRAPH_GATEWAY_URL"] || env["NEXT_PUBLIC_GATEWAY_URL"] || DEFAULT_GATEWAY_URL;
}
