import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "../bus/types.ts";
import { contextFromCarrier, currentTraceCarrier } from "./propagation.ts";
import { inSpan, SpanKind } from "./spans.ts";
import { context } from "@opentelemetry/api";

/**
 * An EventBus whose publishes are producer spans and whose deliveries are consumer spans. A
 * message carries its producer span's W3C context (`traceContext`: NATS message headers, or the
 * message itself in process), so a consumer's span, and the SQL its projection runs, join the
 * trace of the mutation that wrote the event. A message relayed from the outbox arrives with the
 * mutation's context as stored in its row (docs/decisions/0025), which parents the publish.
 */
export class TracedBus implements EventBus {
  readonly kind: EventBus["kind"];
  readonly connected?: () => boolean;
  readonly acknowledgedByAll?: (ids: readonly string[]) => string[];

  constructor(private readonly inner: EventBus) {
    this.kind = inner.kind;
    if (inner.connected) this.connected = () => inner.connected!();
    if (inner.acknowledgedByAll) this.acknowledgedByAll = (ids) => inner.acknowledgedByAll!(ids);
  }

  publish(message: BusMessage): Promise<void> {
    const parent = message.traceContext ? contextFromCarrier(message.traceContext) : context.active();
    return inSpan(
      `${message.subject} publish`,
      { kind: SpanKind.PRODUCER, parent, attributes: () => this.#attributes(message, "publish") },
      () => {
        const carrier = currentTraceCarrier();
        const { traceContext: _stored, ...rest } = message;
        return this.inner.publish(carrier ? { ...rest, traceContext: carrier } : rest);
      },
    );
  }

  consume(options: ConsumeOptions): Promise<Consumption> {
    return this.inner.consume({
      ...options,
      handler: (message) =>
        inSpan(
          `${message.subject} process`,
          {
            kind: SpanKind.CONSUMER,
            parent: contextFromCarrier(message.traceContext),
            attributes: () => ({
              ...this.#attributes(message, "process"),
              "messaging.consumer.group.name": options.durable,
            }),
          },
          () => options.handler(message),
        ),
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #attributes(message: BusMessage, operation: "publish" | "process") {
    return {
      "messaging.system": this.kind === "nats" ? "nats" : "lotgraph.in-process",
      "messaging.operation.type": operation === "publish" ? "send" : "process",
      "messaging.destination.name": message.subject,
      "messaging.message.id": message.id,
      "lotgraph.entity.type": message.entityType,
      "lotgraph.entity.id": message.entityId,
    };
  }
}
