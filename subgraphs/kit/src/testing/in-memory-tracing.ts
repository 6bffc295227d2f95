import { context, propagation, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { setTracingEnabled } from "../tracing/spans.ts";

/**
 * Unit tests only: a registered provider whose spans are kept in memory, and the kit's helpers
 * switched on as `startTracing` would. `stop()` unregisters everything again.
 */
export function inMemoryTracing(): { exporter: InMemorySpanExporter; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  setTracingEnabled(true);
  return {
    exporter,
    async stop() {
      setTracingEnabled(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
