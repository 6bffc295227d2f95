import type { EventBus, ProcessMetrics, RunningServer, SubgraphApp, Tracing } from "@lotgraph/kit";

/**
 * What this process has started so far, so that a failure half-way (or `stop()`) closes exactly
 * that: servers first (no request arrives at a closed app), then apps, then the bus they share,
 * then tracing (its last spans flushed).
 */
export class RunningParts {
  readonly apps: SubgraphApp[] = [];
  readonly servers: RunningServer[] = [];
  /** The metrics server, closed after the apps whose gauges it reads. */
  metrics: ProcessMetrics | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly tracing: Tracing,
  ) {}

  async close(): Promise<void> {
    for (const server of [...this.servers].reverse()) await server.close(2_000);
    for (const app of [...this.apps].reverse()) await app.close();
    await this.metrics?.close();
    await this.bus.close();
    await this.tracing.shutdown();
  }
}
