import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "@lotgraph/kit";

/**
 * Wraps a bus for fault injection and observation. While `down`, `publish` rejects as an
 * unreachable bus would; for the in-process bus that is the only way it can fail. It also
 * records every publish attempt and every delivery, so tests can prove a redelivery or a
 * republish really happened rather than assume it.
 */
export class FlakyBus implements EventBus {
  down = false;
  /** Publish attempts refused while down. */
  refused = 0;
  /** Ids passed to `publish` (including refused attempts), in call order. */
  readonly published: string[] = [];
  /** Ids handed to handlers by `consume`, in delivery order (redeliveries included). */
  readonly delivered: string[] = [];

  constructor(private readonly inner: EventBus) {}

  get kind(): EventBus["kind"] {
    return this.inner.kind;
  }

  async publish(message: BusMessage): Promise<void> {
    this.published.push(message.id);
    if (this.down) {
      this.refused++;
      throw new Error("event bus unavailable (injected)");
    }
    await this.inner.publish(message);
  }

  consume(options: ConsumeOptions): Promise<Consumption> {
    return this.inner.consume({
      ...options,
      handler: async (message) => {
        this.delivered.push(message.id);
        await options.handler(message);
      },
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
