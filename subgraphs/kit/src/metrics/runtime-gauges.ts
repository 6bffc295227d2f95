import type pg from "pg";
import type { SqlDriver } from "../db/sql.ts";
import type { LotgraphMetrics } from "./metrics.ts";

/**
 * The most outbox rows a scrape counts. A relay stalled for days can leave millions; counting
 * them all at every scrape would load the very database that is in trouble. Past it the gauge
 * reads this value: "at least", which is all an alert needs.
 */
export const OUTBOX_COUNT_LIMIT = 10_000;

/**
 * One bounded query (the outbox's `(published_at, seq)` index answers both parts): rows not yet
 * relayed, up to the limit, and the age of the oldest one.
 */
const OUTBOX_QUERY = `
  SELECT (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT ${OUTBOX_COUNT_LIMIT}) AS waiting)::int AS backlog,
         (SELECT extract(epoch FROM now() - occurred_at)::float8 FROM outbox
           WHERE published_at IS NULL ORDER BY seq LIMIT 1) AS oldest_seconds`;

/** Outbox backlog and relay lag of one subgraph's database, computed when Prometheus scrapes. */
export function watchOutbox(metrics: LotgraphMetrics, service: string, driver: SqlDriver): () => void {
  const read = metrics.oncePerScrape(async () => {
    const [row] = await driver.query<{ backlog: number; oldest_seconds: number | null }>(OUTBOX_QUERY);
    return { backlog: Number(row?.backlog ?? 0), oldest: Math.max(0, Number(row?.oldest_seconds ?? 0)) };
  });
  const labels = { service };
  const stops = [
    metrics
      .gauge(
        "lotgraph_outbox_backlog",
        `Events written but not yet published to the bus (counted up to ${OUTBOX_COUNT_LIMIT})`,
        ["service"],
      )
      .source(async () => [{ labels, value: (await read()).backlog }]),
    metrics
      .gauge(
        "lotgraph_outbox_oldest_unrelayed_age_seconds",
        "Age of the oldest event not yet published (0 when none waits): the relay's lag",
        ["service"],
      )
      .source(async () => [{ labels, value: (await read()).oldest }]),
  ];
  return () => stops.forEach((stop) => stop());
}

/** A connection pool whose use is reported: node-postgres's, or an embedded engine's one connection. */
export type WatchedPool = { name: string; pool: pg.Pool } | { name: string; embedded: true };

/**
 * Connection pool use of one subgraph, read from the pools' own counters (no query). A PGlite
 * engine has exactly one connection and queues queries inside itself where nothing can read the
 * queue: it reports `total` 1 and no idle or waiting figure, rather than made-up ones.
 */
export function watchPools(metrics: LotgraphMetrics, service: string, pools: readonly WatchedPool[]): () => void {
  return metrics
    .gauge(
      "lotgraph_db_pool_connections",
      "Database connections by pool and state: total (open), idle, waiting (queries queued for a connection)",
      ["service", "pool", "state"],
    )
    .source(() =>
      pools.flatMap((watched) =>
        "embedded" in watched
          ? [{ labels: { service, pool: watched.name, state: "total" }, value: 1 }]
          : [
              { labels: { service, pool: watched.name, state: "total" }, value: watched.pool.totalCount },
              { labels: { service, pool: watched.name, state: "idle" }, value: watched.pool.idleCount },
              { labels: { service, pool: watched.name, state: "waiting" }, value: watched.pool.waitingCount },
            ],
      ),
    );
}
