import type { Histogram } from "prom-client";
import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "../bus/types.ts";
import type { LotgraphMetrics } from "./metrics.ts";

/** Buckets (seconds) of the delay from an event's commit to its consumer's acknowledgement. */
const APPLY_DELAY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * One service's view of the bus, measured: for every durable consumer it starts, how many
 * messages wait for it (the bus's own count, read when Prometheus scrapes) and how long each
 * event took from its commit to being handled (a projection's lag). Everything else passes
 * through unchanged.
 */
export class MeasuredBus implements EventBus {
  /** durable → the commit times (ms) of the event it handles now and of the last one it handled */
  readonly #durables = new Map<string, { handling: number | null; handled: number | null }>();
  readonly #applyDelay: Histogram<"service" | "consumer">;
  readonly #stopWatching: () => void;
  readonly #service: string;

  constructor(
    private readonly inner: EventBus,
    metrics: LotgraphMetrics,
    service: string,
  ) {
    this.#service = service;
    this.#applyDelay = metrics.histogram(
      "lotgraph_bus_event_apply_delay_seconds",
      "Time from an event's commit (occurredAt) to its consumer having handled it: a projection's lag",
      ["service", "consumer"],
      APPLY_DELAY_BUCKETS,
    );
    const pendings = metrics.oncePerScrape(() =>
      Promise.all(
        [...this.#durables].map(async ([durable, times]) => ({ durable, times, pending: await this.pending(durable) })),
      ),
    );
    const stops = [
      metrics
        .gauge(
          "lotgraph_bus_consumer_pending",
          "Messages a durable consumer has not acknowledged yet (JetStream num_pending + num_ack_pending)",
          ["service", "consumer"],
        )
        .source(async () =>
          (await pendings()).flatMap(({ durable, pending }) =>
            pending === null ? [] : [{ labels: { service, consumer: durable }, value: pending }],
          ),
        ),
      metrics
        .gauge(
          "lotgraph_projection_lag_seconds",
          "Age of the oldest event a consumer (projection, live layer, webhooks) has not handled; 0 when none waits",
          ["service", "consumer"],
        )
        .source(async () =>
          (await pendings()).flatMap(({ durable, times, pending }) => {
            const labels = { service, consumer: durable };
            if (pending === 0) return [{ labels, value: 0 }];
            // Delivery is in order: the event being handled is the oldest waiting; between two,
            // the next one is younger than the last handled, which bounds the lag from above.
            const since = times.handling ?? times.handled;
            return pending === null || since === null
              ? []
              : [{ labels, value: Math.max(0, (Date.now() - since) / 1000) }];
          }),
        ),
    ];
    this.#stopWatching = () => stops.forEach((stop) => stop());
  }

  get kind(): EventBus["kind"] {
    return this.inner.kind;
  }

  publish(message: BusMessage): Promise<void> {
    return this.inner.publish(message);
  }

  consume(options: ConsumeOptions): Promise<Consumption> {
    const { durable } = options;
    const times = this.#durables.get(durable) ?? { handling: null, handled: null };
    this.#durables.set(durable, times);
    const labels = { service: this.#service, consumer: durable };
    return this.inner.consume({
      ...options,
      handler: async (message) => {
        const occurred = Date.parse(message.occurredAt);
        times.handling = Number.isFinite(occurred) ? occurred : null;
        try {
          await options.handler(message);
        } finally {
          times.handling = null;
        }
        if (!Number.isFinite(occurred)) return;
        times.handled = occurred;
        this.#applyDelay.observe(labels, Math.max(0, (Date.now() - occurred) / 1000));
      },
    });
  }

  connected(): boolean {
    return this.inner.connected?.() ?? true;
  }

  acknowledgedByAll(ids: readonly string[]): string[] {
    return this.inner.acknowledgedByAll?.(ids) ?? [];
  }

  async pending(durable: string): Promise<number | null> {
    return (await this.inner.pending?.(durable)) ?? null;
  }

  /** Stops reporting this service's consumers; the bus itself is its owner's to close. */
  stopMeasuring(): void {
    this.#stopWatching();
  }

  close(): Promise<void> {
    this.#stopWatching();
    return this.inner.close();
  }
}
