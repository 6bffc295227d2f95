import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  GATEWAY_PROOF_HEADER,
  activeTraceId,
  bearerToken,
  injectTraceHeaders,
  type GatewayCredential,
  type Logger,
  type SubgraphName,
  type TokenService,
} from "@lotgraph/kit";
import { FORWARDED_HEADERS } from "./federation.ts";
import { pumpBody } from "./pump-body.ts";
import type { CallerRateLimiter } from "./rate-limits.ts";

/**
 * Plain-HTTP exports the gateway serves beside /graphql (DESIGN.md §5); a key ending in `/*` is a
 * prefix ({@link serve}), for exports named by an id in their path.
 */
export const EXPORT_PATHS = [
  "/exports/fsma204.csv",
  "/exports/audit.csv",
  "/exports/recall-cases/*",
  "/exports/evidence/*",
  "/exports/signing-key",
] as const;

/**
 * Routes for {@link serve}: each export path is forwarded as is (path, query, the caller's
 * Authorization and the request id) to the traceability subgraph, whose base URL is its /graphql
 * URL without the path, and its response is streamed back. The subgraph verifies the token and
 * the role itself, so the gateway adds no second rule that could drift from it. A download counts
 * against its caller's rate limit like any request (429 with Retry-After beyond it).
 */
export function exportRoutes(
  subgraphUrls: Record<SubgraphName, string>,
  credential: GatewayCredential,
  limits: { tokens: TokenService; rateLimiter: CallerRateLimiter },
  logger?: Logger,
): Record<string, (req: IncomingMessage, res: ServerResponse) => void> {
  const base = new URL(subgraphUrls.traceability);
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const wait = req.method === "OPTIONS" ? null : await waitFor(limits, req);
    if (wait !== null) {
      res.writeHead(429, {
        "content-type": "text/plain; charset=utf-8",
        "retry-after": String(wait),
        ...EXPORT_CORS_HEADERS,
      });
      return void res.end(`RATE_LIMITED: too many requests: try again in ${wait} s\n`);
    }
    await proxy(base, credential, req, res, logger);
  };
  return Object.fromEntries(EXPORT_PATHS.map((path) => [path, (req, res) => void forward(req, res)]));
}

/** Counts a download against its caller (its principal when its token verifies, else its address). */
async function waitFor(
  limits: { tokens: TokenService; rateLimiter: CallerRateLimiter },
  req: IncomingMessage,
): Promise<number | null> {
  const token = bearerToken(req.headers.authorization);
  const principal = token ? await limits.tokens.verify(token).catch(() => null) : null;
  return limits.rateLimiter.take(
    principal ? { principal: principal.id } : { address: req.socket.remoteAddress ?? "unknown" },
  );
}

/** Lets a browser page on another origin read an export's body and file name. */
const EXPORT_CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "content-disposition",
} as const;

/** Response headers worth passing on (hop-by-hop ones such as transfer-encoding are not). */
const EXPORT_RESPONSE_HEADERS = ["content-type", "content-disposition", "cache-control", "www-authenticate", "allow"];

async function proxy(
  base: URL,
  credential: GatewayCredential,
  req: IncomingMessage,
  res: ServerResponse,
  logger?: Logger,
): Promise<void> {
  // The web app downloads exports from another origin (its own port) with a bearer token: a
  // CORS preflight first. No cookie is involved, so any origin may ask; the token decides.
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      ...EXPORT_CORS_HEADERS,
      "access-control-allow-methods": "GET, HEAD",
      "access-control-allow-headers": "authorization, x-request-id",
      "access-control-max-age": "600",
    });
    return void res.end();
  }
  const target = new URL(req.url ?? "/", base);
  const headers = new Headers({ [GATEWAY_PROOF_HEADER]: credential.current() });
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  // The download's span (serve's) is the subgraph's parent; with tracing on, the request id is its
  // trace id, as for a GraphQL request.
  const traceHeaders: Record<string, string> = {};
  injectTraceHeaders(traceHeaders);
  for (const [name, value] of Object.entries(traceHeaders)) headers.set(name, value);
  const traceId = activeTraceId();
  if (traceId) headers.set("x-request-id", traceId);
  else if (!headers.has("x-request-id")) headers.set("x-request-id", randomUUID());
  try {
    // The export is read-only and small per request; GET/HEAD carry no body to forward. Other
    // methods are passed on too so that the subgraph answers them (405) in one place.
    const upstream = await fetch(target, { method: req.method ?? "GET", headers, redirect: "manual" });
    const out: Record<string, string> = { ...EXPORT_CORS_HEADERS };
    for (const name of EXPORT_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out[name] = value;
    }
    res.writeHead(upstream.status, out);
    if (upstream.body === null) return void res.end();
    await pumpBody(upstream.body, res);
  } catch (error) {
    logger?.error({ err: error, url: target.pathname }, "export forwarding failed");
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
    res.end("the traceability service is unavailable\n");
  }
}
