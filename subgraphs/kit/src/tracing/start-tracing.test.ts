import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { createEventBus } from "../bus/create-bus.ts";
import { InProcessBus } from "../bus/in-process.ts";
import { inSpan, SpanKind, tracingEnabled } from "./spans.ts";
import { startTracing, tracesEndpoint, tracesProtocol } from "./start-tracing.ts";
import { TracedBus } from "./traced-bus.ts";

const logger = { warn: () => undefined, info: () => undefined } as never;

describe("startTracing", () => {
  const previous = { ...process.env };
  afterEach(() => {
    process.env = { ...previous };
  });

  it("reads the endpoint from the standard variables, the traces one first", () => {
    expect(tracesEndpoint({})).toBeNull();
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toBe(
      "http://collector:4318/v1/traces",
    );
    expect(
      tracesEndpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:4318/custom",
      }),
    ).toBe("http://traces:4318/custom");
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" })).toBeNull();
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" })).toBeNull();
  });

  it("exports OTLP over HTTP, protobuf unless JSON is asked for, and refuses gRPC with a clear message", () => {
    expect(tracesProtocol({})).toBe("http/protobuf");
    expect(tracesProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toBe("http/json");
    expect(
      tracesProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" }),
    ).toBe("http/json");
    expect(() => tracesProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/use http\/protobuf or http\/json/);
  });

  it("without an endpoint registers nothing: no provider, no recording span, a bus without spans", async () => {
    const tracing = await startTracing("lotgraph-test", {});
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const span = trace.getTracer("any").startSpan("probe");
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
    const bus = await createEventBus({ logger, name: "test" });
    expect(bus).toBeInstanceOf(InProcessBus);
    await bus.close();
    await tracing.shutdown();
  });

  it("with an endpoint exports the spans with the service name, and shares one provider per process", async () => {
    const bodies: string[] = [];
    const collector = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        bodies.push(`${req.url} ${body}`);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    try {
      const first = await startTracing("lotgraph-test");
      const second = await startTracing("another-part");
      expect(first.enabled && second.enabled && tracingEnabled()).toBe(true);
      const bus = await createEventBus({ logger, name: "test" });
      expect(bus).toBeInstanceOf(TracedBus);
      await bus.close();
      await inSpan("probe", { kind: SpanKind.INTERNAL }, async () => undefined);
      await second.shutdown();
      // The other part still runs: tracing stays on until the last one stops.
      expect(tracingEnabled()).toBe(true);
      await first.shutdown();
      expect(tracingEnabled()).toBe(false);
      expect(trace.getTracer("any").startSpan("after").isRecording()).toBe(false);
      const exported = bodies.join("\n");
      expect(exported).toContain("/v1/traces");
      expect(exported).toContain('"probe"');
      expect(exported).toContain('"lotgraph-test"');
    } finally {
      collector.close();
    }
  });
});
