import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "./types.ts";

export const DEFAULT_NAMESPACE = "lotgraph";

/**
 * Runs a deployment under its own subject namespace (`<namespace>.inventory.lot.received`
 * instead of `lotgraph.…`) and its own durable names, so two deployments, or two test runs,
 * can share one NATS server without seeing each other's events. Code keeps using the catalogue's
 * `lotgraph.*` subjects; only the wire names change.
 */
export class NamespacedBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    readonly namespace: string,
  ) {}

  get kind(): EventBus["kind"] {
    return this.inner.kind;
  }

  publish(message: BusMessage): Promise<void> {
    return this.inner.publish({ ...message, subject: this.#outbound(message.subject) });
  }

  consume(options: ConsumeOptions): Promise<Consumption> {
    return this.inner.consume({
      ...options,
      durable: `${this.namespace}_${options.durable}`,
      subjects: options.subjects.map((s) => this.#outbound(s)),
      handler: (message) => options.handler({ ...message, subject: this.#inbound(message.subject) }),
    });
  }

  connected(): boolean {
    return this.inner.connected?.() ?? true;
  }

  acknowledgedByAll(ids: readonly string[]): string[] {
    return this.inner.acknowledgedByAll?.(ids) ?? [];
  }

  async pending(durable: string): Promise<number | null> {
    return (await this.inner.pending?.(`${this.namespace}_${durable}`)) ?? null;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #outbound(subject: string): string {
    return subject.startsWith(`${DEFAULT_NAMESPACE}.`)
      ? `${this.namespace}${subject.slice(DEFAULT_NAMESPACE.length)}`
      : subject;
  }

  #inbound(subject: string): string {
    return subject.startsWith(`${this.namespace}.`)
      ? `${DEFAULT_NAMESPACE}${subject.slice(this.namespace.length)}`
      : subject;
  }
}
