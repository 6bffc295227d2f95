import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { loadEnv } from "../env.ts";
import { LotgraphMetrics } from "./metrics.ts";
import { serveMetrics, type MetricsServer } from "./metrics-server.ts";
import { startProcessMetrics } from "./process-metrics.ts";

const logger = createLogger("silent", "test");

describe("serveMetrics", () => {
  let server: MetricsServer;

  beforeAll(async () => {
    server = await serveMetrics({ metrics: new LotgraphMetrics(), port: 0, host: "127.0.0.1", logger });
  });
  afterAll(() => server.close());

  it("answers GET /metrics in Prometheus's text format", async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(await response.text()).toContain("# TYPE process_cpu_seconds_total counter");
  });

  it("answers nothing else", async () => {
    expect((await fetch(new URL("/graphql", server.url))).status).toBe(404);
    expect((await fetch(server.url, { method: "POST", body: "x" })).status).toBe(404);
  });
});

describe("startProcessMetrics", () => {
  it("starts nothing without LOTGRAPH_METRICS_PORT", async () => {
    expect(await startProcessMetrics(loadEnv({}), logger)).toBeNull();
  });

  it("serves on LOTGRAPH_METRICS_HOST, loopback by default", async () => {
    const env = loadEnv({ LOTGRAPH_METRICS_PORT: "0" });
    expect(env.LOTGRAPH_METRICS_HOST).toBe("127.0.0.1");
    const metrics = await startProcessMetrics(env, logger);
    try {
      expect(metrics?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(metrics!.url)).status).toBe(200);
    } finally {
      await metrics?.close();
    }
  });
});
