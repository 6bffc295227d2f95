import type { EventBus } from "../bus/types.ts";
import type { LotgraphEnv } from "../env.ts";
import type { Logger } from "../logger.ts";
import { MeasuredBus } from "./measured-bus.ts";
import { serveMetrics } from "./metrics-server.ts";
import { LotgraphMetrics } from "./metrics.ts";

/** A process's metrics and the server Prometheus scrapes them from. */
export interface ProcessMetrics {
  metrics: LotgraphMetrics;
  /** `http://host:port/metrics` */
  url: string;
  /** `bus` as one service of this process sees it: its consumers' lag measured. */
  measuredBus(bus: EventBus, service: string): EventBus;
  /** Closes the metrics server and stops the gauges of the buses measured here. */
  close(): Promise<void>;
}

/**
 * The process's metrics when LOTGRAPH_METRICS_PORT is set, served on that port of
 * LOTGRAPH_METRICS_HOST; null (nothing measured, nothing listening) when it is not.
 */
export async function startProcessMetrics(env: LotgraphEnv, logger: Logger): Promise<ProcessMetrics | null> {
  if (env.LOTGRAPH_METRICS_PORT === undefined) return null;
  const metrics = new LotgraphMetrics({
    onCollectFailure: (gauge, error) => logger.warn({ err: error, gauge }, "a metric could not be collected"),
  });
  const server = await serveMetrics({
    metrics,
    port: env.LOTGRAPH_METRICS_PORT,
    host: env.LOTGRAPH_METRICS_HOST,
    logger,
  });
  const buses: MeasuredBus[] = [];
  return {
    metrics,
    url: server.url,
    measuredBus(bus, service) {
      const measured = new MeasuredBus(bus, metrics, service);
      buses.push(measured);
      return measured;
    },
    async close() {
      for (const bus of buses) bus.stopMeasuring();
      await server.close();
    },
  };
}
