import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { LotgraphMetrics } from "@lotgraph/kit";
import type { Gateway } from "./server.ts";

/**
 * A subgraph's data source, timed: every fetch the gateway's planner makes to it, by subgraph,
 * transport (`http`, or `in-process` in the all-in-one) and outcome (`ok`, `error` when the answer
 * carries GraphQL errors, `failed` when there was no answer).
 */
export function measuredDataSource<Source extends GraphQLDataSource>(
  source: Source,
  subgraph: string,
  transport: "http" | "in-process",
  metrics: LotgraphMetrics,
): GraphQLDataSource {
  const histogram = metrics.histogram(
    "lotgraph_subgraph_fetch_duration_seconds",
    "Time of the gateway's fetches to a subgraph, by subgraph, transport and outcome",
    ["subgraph", "transport", "outcome"],
  );
  return {
    async process(options: GraphQLDataSourceProcessOptions) {
      const end = histogram.startTimer({ subgraph, transport });
      try {
        const response = await source.process(options);
        end({ outcome: response.errors?.length ? "error" : "ok" });
        return response;
      } catch (error) {
        end({ outcome: "failed" });
        throw error;
      }
    },
  };
}

/**
 * The live layer's figures from `liveStats()`, read when Prometheus scrapes: what is open now as
 * gauges, what has happened since start as counters. Returns the function that stops them.
 */
export function watchLiveLayer(metrics: LotgraphMetrics, liveStats: Gateway["liveStats"]): () => void {
  const labels = { service: "gateway" };
  const now: Array<[string, string, (stats: ReturnType<Gateway["liveStats"]>) => number]> = [
    ["lotgraph_live_connections", "Open graphql-ws sockets", (s) => s.connections],
    ["lotgraph_live_streams", "Open subscriptions over server-sent events", (s) => s.streams],
    ["lotgraph_live_subscriptions", "Active subscriptions (subscribers of the live hub)", (s) => s.subscribers],
    ["lotgraph_live_groups", "Subscription groups: subscribers sharing one execution per event", (s) => s.groups],
  ];
  const sinceStart: Array<[string, string, (stats: ReturnType<Gateway["liveStats"]>) => number]> = [
    ["lotgraph_live_events_total", "Bus events the live layer received", (s) => s.events],
    ["lotgraph_live_executions_total", "Federated executions run for live groups", (s) => s.executions],
    ["lotgraph_live_deliveries_total", "Results delivered to subscribers", (s) => s.deliveries],
    ["lotgraph_live_drops_total", "Subscribers ended because they could not keep up", (s) => s.overflows],
  ];
  const stops = [
    ...now.map(([name, help, read]) =>
      metrics.gauge(name, help, ["service"]).source(() => [{ labels, value: read(liveStats()) }]),
    ),
    ...sinceStart.map(([name, help, read]) =>
      metrics.totals(name, help, ["service"]).source(() => [{ labels, value: read(liveStats()) }]),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
