import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";
import type { LotgraphMetrics } from "../metrics/metrics.ts";
import { StartupError } from "../startup.ts";
import { runRouteInSpan } from "../tracing/route-spans.ts";

/** A readiness probe: resolves true when a dependency is usable. */
export type ReadinessCheck = () => Promise<boolean>;

export interface ServeOptions {
  name: string;
  port: number;
  /** The setting that chose `port`, named when the port is taken (default PORT). */
  portVariable?: string;
  host?: string;
  logger: Logger;
  /** Handles every request other than the probes (a yoga instance is such a handler). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Named dependency checks reported by /readyz. */
  readiness?: Record<string, ReadinessCheck>;
  /**
   * Extra HTTP routes checked before the handler, e.g. CSV exports: by exact path, or by prefix
   * for a key ending in `/*` (`/exports/recall-cases/*` serves `/exports/recall-cases/{id}/…`).
   */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Counts and times every request under `name`, by route and status class (LOTGRAPH_METRICS_PORT). */
  metrics?: LotgraphMetrics;
  /** The largest request body accepted, in bytes ({@link MAX_REQUEST_BYTES} unless given). */
  maxRequestBytes?: number;
}

/**
 * 2 MiB: the largest operation an ERP sends (a shipment of a few thousand lines) is well under
 * it, and a body past it is refused before it is read, not parsed and then refused.
 */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/**
 * Yoga's own body limit, for handlers `serve` hosts: off. `serve` has refused every body over
 * {@link MAX_REQUEST_BYTES}, or without a Content-Length, before the handler runs, and Node's parser
 * reads no more than the Content-Length says; yoga's check, on top, wrapped every request's body
 * in a stream pipeline of its own (a fifth of a millisecond, and its garbage, per request).
 */
export const YOGA_BODY_LIMIT_CHECKED_BY_SERVE = false;

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Listens with `/healthz` (the process is alive) and `/readyz` (each dependency answers), and
 * shuts down gracefully: new connections are refused at once, idle keep-alive sockets are
 * closed, busy ones get a grace period.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  let draining = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const label = routeLabel(options.routes, path ?? "/");
    options.metrics?.observeHttp(options.name, label, req, res);
    if (path === "/healthz")
      return json(res, draining ? 503 : 200, { status: draining ? "draining" : "ok", service: options.name });
    if (path === "/readyz")
      return void readiness(options, draining).then(({ status, body }) => json(res, status, body));
    const route = path && options.routes ? routeOf(options.routes, path) : undefined;
    if (route) return runRouteInSpan(options.name, label, route, req, res);
    const tooLarge = bodyRefusal(req, options.maxRequestBytes ?? MAX_REQUEST_BYTES);
    if (tooLarge) return refuseBody(req, res, tooLarge);
    options.handler(req, res);
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? "0.0.0.0";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES"
          ? new StartupError(
              options.portVariable ?? "PORT",
              `${options.name} cannot listen on ${host}:${options.port}: ${error.code === "EADDRINUSE" ? "another program (perhaps another Lotgraph) already uses that port" : "not allowed to use that port"}. Choose another port.`,
            )
          : error,
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}/graphql`;
  options.logger.info({ port, url }, `${options.name} listening`);
  return {
    server,
    port,
    url,
    async close(graceMs = 10_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/**
 * The route of a path: its exact key, else the longest `/*` key it starts with. A prefix matches
 * only a path without dot segments or encoded slashes: `/exports/x/../../graphql` would otherwise
 * match `/exports/x/*` and, once a forwarder's URL parser resolved it, reach another endpoint.
 */
export function routeOf<T>(routes: Readonly<Record<string, T>>, path: string): T | undefined {
  const exact = routes[path];
  if (exact !== undefined) return exact;
  if (/\/\.{1,2}(\/|$)|%2f|%5c|%2e|\\/i.test(path)) return undefined;
  let best: { length: number; route: T } | undefined;
  for (const [key, route] of Object.entries(routes)) {
    if (!key.endsWith("/*")) continue;
    const prefix = key.slice(0, -1);
    if (path.startsWith(prefix) && path.length > prefix.length && (!best || prefix.length > best.length))
      best = { length: prefix.length, route };
  }
  return best?.route;
}

/** A request's `route` label: a known path or route key, else `other` (never the raw path). */
function routeLabel(routes: ServeOptions["routes"], path: string): string {
  if (path === "/graphql" || path === "/healthz" || path === "/readyz") return path;
  if (!routes) return "other";
  if (routes[path]) return path;
  const prefix = Object.keys(routes).find((key) => key.endsWith("/*") && routeOf({ [key]: true }, path));
  return prefix ?? "other";
}

/**
 * Why a request's body is refused before it is read: larger than `max` by its Content-Length, or
 * streamed without one (chunked), whose size is known only once it has all arrived.
 */
function bodyRefusal(req: IncomingMessage, max: number): { status: number; message: string } | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
  const length = req.headers["content-length"];
  if (length === undefined) {
    return req.headers["transfer-encoding"]
      ? { status: 411, message: "A request body must be sent with a Content-Length." }
      : null;
  }
  return Number(length) > max
    ? { status: 413, message: `The request body is ${length} bytes; the largest accepted is ${max} bytes.` }
    : null;
}

/** How much of a refused body is read and thrown away before the socket is dropped. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Answers a refused body as GraphQL answers an error. The body is read and thrown away (up to
 * 16 MiB, then the socket is dropped): a socket closed while the client is still sending shows
 * it a reset instead of the answer.
 */
function refuseBody(req: IncomingMessage, res: ServerResponse, refusal: { status: number; message: string }): void {
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) req.destroy();
  });
  const code = refusal.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  json(res, refusal.status, { errors: [{ message: refusal.message, extensions: { code } }] });
}

async function readiness(options: ServeOptions, draining: boolean) {
  const checks = Object.entries(options.readiness ?? {});
  const results = await Promise.all(
    checks.map(async ([name, check]) => [name, await withTimeout(check(), 2_000).catch(() => false)] as const),
  );
  const ready = !draining && results.every(([, ok]) => ok);
  return {
    status: ready ? 200 : 503,
    body: {
      status: ready ? "ready" : "not ready",
      service: options.name,
      checks: Object.fromEntries(results.map(([n, ok]) => [n, ok ? "ok" : "failing"])),
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
