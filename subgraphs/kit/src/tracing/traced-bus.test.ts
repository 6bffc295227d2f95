import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessBus } from "../bus/in-process.ts";
import type { BusMessage } from "../bus/types.ts";
import { inMemoryTracing } from "../testing/in-memory-tracing.ts";
import { currentTraceCarrier } from "./propagation.ts";
import { inSpan, SpanKind } from "./spans.ts";
import { TracedBus } from "./traced-bus.ts";

const message = (id: string): BusMessage => ({
  id,
  subject: "lotgraph.test.thing.done",
  entityType: "Thing",
  entityId: "t-1",
  payload: {},
  occurredAt: new Date().toISOString(),
});

describe("TracedBus", () => {
  let tracing: ReturnType<typeof inMemoryTracing>;
  beforeAll(() => {
    tracing = inMemoryTracing();
  });
  afterAll(() => tracing.stop());

  it("publishes in a producer span whose context the message carries to a consumer span", async () => {
    tracing.exporter.reset();
    const bus = new TracedBus(new InProcessBus());
    const received: BusMessage[] = [];
    const delivered = new Promise<void>((resolve) =>
      bus.consume({
        durable: "test",
        subjects: ["lotgraph.test.>"],
        handler: async (delivery) => {
          received.push(delivery);
          resolve();
        },
      }),
    );
    // The outbox relay's case: the writer's context is stored, the publish happens elsewhere.
    let stored: BusMessage["traceContext"];
    await inSpan("mutation", { kind: SpanKind.SERVER }, async () => void (stored = currentTraceCarrier()));
    await bus.publish({ ...message("m-1"), traceContext: stored! });
    await delivered;
    await bus.close();

    const spans = tracing.exporter.getFinishedSpans();
    const mutation = spans.find((span) => span.name === "mutation")!;
    const publish = spans.find((span) => span.kind === SpanKind.PRODUCER)!;
    const consume = spans.find((span) => span.kind === SpanKind.CONSUMER)!;
    expect(publish.name).toBe("lotgraph.test.thing.done publish");
    expect(publish.spanContext().traceId).toBe(mutation.spanContext().traceId);
    expect(publish.parentSpanContext?.spanId).toBe(mutation.spanContext().spanId);
    expect(consume.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(consume.attributes["messaging.consumer.group.name"]).toBe("test");
    expect(received[0]!.traceContext?.traceparent).toContain(publish.spanContext().spanId);
  });
});
