import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { LotgraphMetrics } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import { measuredDataSource, watchLiveLayer } from "./metrics.ts";

async function sample(metrics: LotgraphMetrics, line: string): Promise<number | undefined> {
  const { body } = await metrics.scrape();
  const found = body.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const fetchOf = {} as GraphQLDataSourceProcessOptions;

describe("measuredDataSource", () => {
  it("times each subgraph fetch by subgraph, transport and outcome", async () => {
    const metrics = new LotgraphMetrics();
    const answers = [{ data: { ok: true } }, { data: null, errors: [{ message: "refused" }] }];
    const source = measuredDataSource(
      {
        process: async () => {
          const answer = answers.shift();
          if (!answer) throw new Error("connection refused");
          return answer;
        },
      },
      "inventory",
      "http",
      metrics,
    );
    expect(await source.process(fetchOf)).toEqual({ data: { ok: true } });
    await source.process(fetchOf);
    await expect(source.process(fetchOf)).rejects.toThrow("connection refused");
    const count = (outcome: string) =>
      sample(
        metrics,
        `lotgraph_subgraph_fetch_duration_seconds_count{subgraph="inventory",transport="http",outcome="${outcome}"}`,
      );
    expect([await count("ok"), await count("error"), await count("failed")]).toEqual([1, 1, 1]);
  });
});

describe("watchLiveLayer", () => {
  it("reads liveStats() at each scrape: open things as gauges, totals as counters", async () => {
    const metrics = new LotgraphMetrics();
    const stats = {
      events: 9,
      executions: 4,
      deliveries: 12,
      overflows: 1,
      groups: 2,
      subscribers: 3,
      connections: 2,
      streams: 1,
    };
    const stop = watchLiveLayer(metrics, () => stats);
    expect(await sample(metrics, 'lotgraph_live_connections{service="gateway"}')).toBe(2);
    expect(await sample(metrics, 'lotgraph_live_subscriptions{service="gateway"}')).toBe(3);
    expect(await sample(metrics, 'lotgraph_live_drops_total{service="gateway"}')).toBe(1);
    stats.executions = 6;
    expect(await sample(metrics, 'lotgraph_live_executions_total{service="gateway"}')).toBe(6);
    stop();
    expect(await sample(metrics, 'lotgraph_live_groups{service="gateway"}')).toBeUndefined();
  });
});
