import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";

/** A readiness probe: resolves true when a dependency is usable. */
export type ReadinessCheck = () => Promise<boolean>;

export interface ServeOptions {
  name: string;
  port: number;
  host?: string;
  logger: Logger;
  /** Handles every request other than the probes (a yoga instance is such a handler). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Named dependency checks reported by /readyz. */
  readiness?: Record<string, ReadinessCheck>;
  /** Extra HTTP routes checked before the handler, e.g. CSV exports. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

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
    if (path === "/healthz")
      return json(res, draining ? 503 : 200, { status: draining ? "draining" : "ok", service: options.name });
    if (path === "/readyz")
      return void readiness(options, draining).then(({ status, body }) => json(res, status, body));
    const route = path ? options.routes?.[path] : undefined;
    if (route) return route(req, res);
    options.handler(req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
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
