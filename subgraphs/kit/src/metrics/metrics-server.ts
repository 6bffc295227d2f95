import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";
import { StartupError } from "../startup.ts";
import type { LotgraphMetrics } from "./metrics.ts";

export interface MetricsServer {
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (Prometheus text format) on a port of its own, apart from the API:
 * nothing there needs a token, so it must not be reachable where the API is
 * (LOTGRAPH_METRICS_PORT, LOTGRAPH_METRICS_HOST; docs/operations.md). Anything else is 404.
 */
export async function serveMetrics(options: {
  metrics: LotgraphMetrics;
  port: number;
  host: string;
  logger: Logger;
}): Promise<MetricsServer> {
  const { metrics, logger } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" });
      return void res.end("Not found: metrics are at GET /metrics\n");
    }
    metrics.scrape().then(
      ({ contentType, body }) => {
        res.writeHead(200, { "content-type": contentType });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (error: unknown) => {
        logger.error({ err: error }, "metrics scrape failed");
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("metrics unavailable\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES"
          ? new StartupError(
              "LOTGRAPH_METRICS_PORT",
              `the metrics server cannot listen on ${options.host}:${options.port} (${error.code}). Choose another port.`,
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${shownHost === "0.0.0.0" || shownHost === "[::]" ? "127.0.0.1" : shownHost}:${port}/metrics`;
  logger.info({ url }, "metrics listening");
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
