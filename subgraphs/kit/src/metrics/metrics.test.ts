import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { LotgraphMetrics, SOURCE_TIMEOUT_MS, statusClass } from "./metrics.ts";

/** The value of the sample `name{labels}` in a scrape, or undefined. */
async function valueOf(metrics: LotgraphMetrics, sample: string): Promise<number | undefined> {
  const { body } = await metrics.scrape();
  const line = body.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe("LotgraphMetrics", () => {
  it("computes a gauge from its sources at each scrape, until a source is removed", async () => {
    const metrics = new LotgraphMetrics();
    let backlog = 3;
    const stop = metrics
      .gauge("test_backlog", "a test gauge", ["service"])
      .source(() => [{ labels: { service: "inventory" }, value: backlog }]);
    expect(await valueOf(metrics, 'test_backlog{service="inventory"}')).toBe(3);
    backlog = 0;
    expect(await valueOf(metrics, 'test_backlog{service="inventory"}')).toBe(0);
    stop();
    expect(await valueOf(metrics, 'test_backlog{service="inventory"}')).toBeUndefined();
  });

  it("leaves out a failing source's samples, keeps the others and counts the failure", async () => {
    const failures: string[] = [];
    const metrics = new LotgraphMetrics({ onCollectFailure: (gauge) => failures.push(gauge) });
    const gauge = metrics.gauge("test_pool", "a test gauge", ["service"]);
    gauge.source(() => [{ labels: { service: "a" }, value: 1 }]);
    gauge.source(async () => {
      throw new Error("database away");
    });
    expect(await valueOf(metrics, 'test_pool{service="a"}')).toBe(1);
    expect(failures).toEqual(["test_pool"]);
    // Collected beside the gauge, the count shows this scrape's failure by the next one.
    expect(await valueOf(metrics, 'lotgraph_metrics_collect_failures_total{gauge="test_pool"}')).toBeGreaterThanOrEqual(
      1,
    );
  });

  it("gives up on a source slower than the timeout", { timeout: SOURCE_TIMEOUT_MS + 5_000 }, async () => {
    const failures: string[] = [];
    const metrics = new LotgraphMetrics({ onCollectFailure: (gauge) => failures.push(gauge) });
    metrics.gauge("test_slow", "a test gauge", ["service"]).source(() => new Promise(() => undefined));
    expect(await valueOf(metrics, 'test_slow{service="a"}')).toBeUndefined();
    expect(failures).toEqual(["test_slow"]);
  });

  it("reports running totals kept elsewhere as a counter", async () => {
    const metrics = new LotgraphMetrics();
    let events = 5;
    metrics
      .totals("test_events_total", "a test counter", ["service"])
      .source(() => [{ labels: { service: "gateway" }, value: events }]);
    expect(await valueOf(metrics, 'test_events_total{service="gateway"}')).toBe(5);
    events = 7;
    expect(await valueOf(metrics, 'test_events_total{service="gateway"}')).toBe(7);
    expect((await metrics.scrape()).body).toContain("# TYPE test_events_total counter");
  });

  it("counts and times HTTP requests by service, route and status class; event streams only counted", async () => {
    const metrics = new LotgraphMetrics();
    const server = createServer((req, res) => {
      metrics.observeHttp("gateway", req.url === "/x?y" ? "other" : "/graphql", req, res);
      res.writeHead(req.url === "/graphql" ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const get = (path: string, accept = "application/json") =>
      new Promise<void>((resolve, reject) =>
        request({ port, path, host: "127.0.0.1", headers: { accept } }, (res) => res.resume().on("end", resolve))
          .on("error", reject)
          .end(),
      );
    await get("/graphql");
    await get("/graphql");
    await get("/x?y");
    await get("/graphql", "text/event-stream");
    server.close();
    expect(
      await valueOf(metrics, 'lotgraph_http_requests_total{service="gateway",route="/graphql",status="2xx"}'),
    ).toBe(3); // the event stream counted…
    expect(await valueOf(metrics, 'lotgraph_http_requests_total{service="gateway",route="other",status="4xx"}')).toBe(
      1,
    );
    expect(
      await valueOf(
        metrics,
        'lotgraph_http_request_duration_seconds_count{service="gateway",route="/graphql",status="2xx"}',
      ),
    ).toBe(2); // …but not timed
  });

  it("includes Node's process metrics", async () => {
    const { body } = await new LotgraphMetrics().scrape();
    expect(body).toContain("process_cpu_seconds_total");
    expect(body).toContain("nodejs_heap_size_used_bytes");
  });
});

describe("statusClass", () => {
  it("bounds a status to its class", () => {
    expect([200, 204, 404, 503, 0, 999].map(statusClass)).toEqual(["2xx", "2xx", "4xx", "5xx", "other", "other"]);
  });
});

describe("oncePerScrape", () => {
  it("shares one answer among the gauges of a scrape and asks again at the next", async () => {
    const metrics = new LotgraphMetrics();
    let calls = 0;
    const read = metrics.oncePerScrape(async () => ++calls);
    for (const name of ["test_a", "test_b"])
      metrics
        .gauge(name, "a test gauge", ["service"])
        .source(async () => [{ labels: { service: "x" }, value: await read() }]);
    expect(await valueOf(metrics, 'test_a{service="x"}')).toBe(1);
    expect(calls).toBe(1);
    expect(await valueOf(metrics, 'test_b{service="x"}')).toBe(2);
    expect(calls).toBe(2);
  });
});
