import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "@lotgraph/kit";

/**
 * Wraps a bus so that the consumers started through it can be paused: while paused, a delivered
 * message waits before its handler runs (it stays unacknowledged, as with a slow or stopped
 * consumer), and `resume` lets everything through in order. Publishing is never affected.
 */
export class PausableBus implements EventBus {
  #gate: Promise<void> | null = null;
  #open: (() => void) | null = null;
  /** Messages delivered while paused and not yet handled. */
  waiting = 0;

  constructor(private readonly inner: EventBus) {}

  get kind(): EventBus["kind"] {
    return this.inner.kind;
  }

  pause(): void {
    if (this.#gate) return;
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  resume(): void {
    this.#open?.();
    this.#gate = null;
    this.#open = null;
  }

  publish(message: BusMessage): Promise<void> {
    return this.inner.publish(message);
  }

  consume(options: ConsumeOptions): Promise<Consumption> {
    return this.inner.consume({
      ...options,
      handler: async (message) => {
        while (this.#gate) {
          this.waiting++;
          await this.#gate.finally(() => this.waiting--);
        }
        await options.handler(message);
      },
    });
  }

  close(): Promise<void> {
    this.resume();
    return this.inner.close();
  }
}
