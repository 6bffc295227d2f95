import { context, diag, propagation, trace, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { setTracingEnabled } from "./spans.ts";

/** The attribute that names the Lotgraph part a span belongs to (gateway, inventory, ...). */
export const PART_ATTRIBUTE = "lotgraph.part";

/** A started (or skipped) tracing setup of this process. */
export interface Tracing {
  /** Whether spans are exported: false when OTEL_EXPORTER_OTLP_ENDPOINT is unset. */
  readonly enabled: boolean;
  /** Sends the spans that ended so far (tests, benchmarks). */
  flush(): Promise<void>;
  /** Flushes, then unregisters the provider once every part that started it has stopped. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };

/** The provider of this process and how many started parts share it (the all-in-one starts it once). */
let running: { flush(): Promise<void>; shutdown(): Promise<void>; users: number } | null = null;

/**
 * Where spans go: the traces endpoint named by the standard variables, or null when none is.
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the full URL; `OTEL_EXPORTER_OTLP_ENDPOINT` is a base to
 * which `/v1/traces` is appended (the OTLP exporter specification).
 */
export function tracesEndpoint(env: Record<string, string | undefined>): string | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return null;
  if (env.OTEL_TRACES_EXPORTER?.split(",").some((name) => name.trim() === "none")) return null;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return null;
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

/** The OTLP encoding: `http/protobuf` (the specification's default) or `http/json`. */
export function tracesProtocol(env: Record<string, string | undefined>): "http/protobuf" | "http/json" {
  const protocol = (
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    "http/protobuf"
  ).trim();
  if (protocol === "http/protobuf" || protocol === "http/json") return protocol;
  throw new Error(
    `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: Lotgraph exports OTLP over HTTP, use http/protobuf or http/json`,
  );
}

/**
 * Starts OpenTelemetry tracing for this process when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: a NodeTracerProvider registered globally
 * (AsyncLocalStorage context, W3C propagation), a batch processor (OTEL_BSP_*) and the OTLP/HTTP
 * exporter (OTEL_EXPORTER_OTLP_*), the sampler of OTEL_TRACES_SAMPLER, and a resource whose
 * `service.name` is OTEL_SERVICE_NAME or `serviceName`, with OTEL_RESOURCE_ATTRIBUTES. The SDK
 * reads those variables from `process.env`, so `env` is only consulted for whether to start.
 *
 * Unset, nothing is loaded or registered: the API stays the no-op it is, and the kit's span
 * helpers skip their work. One provider per process (OTel's global): a second call while one runs
 * shares it, so the all-in-one's parts all report under one `service.name`, each span carrying
 * its part in `lotgraph.part` (docs/decisions/0025).
 */
export async function startTracing(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
): Promise<Tracing> {
  const url = tracesEndpoint(env);
  if (!url) return OFF;
  const protocol = tracesProtocol(env);
  if (!running) running = { ...(await registerProvider(serviceName, url, protocol)), users: 0 };
  const shared = running;
  shared.users++;
  let stopped = false;
  return {
    enabled: true,
    flush: () => shared.flush(),
    async shutdown() {
      if (stopped) return;
      stopped = true;
      if (--shared.users > 0) return shared.flush();
      if (running === shared) running = null;
      await shared.shutdown();
    },
  };
}

async function registerProvider(
  serviceName: string,
  url: string,
  protocol: "http/protobuf" | "http/json",
): Promise<{ flush(): Promise<void>; shutdown(): Promise<void> }> {
  // Loaded only now: a process without an endpoint never loads the SDK.
  const [{ NodeTracerProvider, BatchSpanProcessor }, resources, exporter] = await Promise.all([
    import("@opentelemetry/sdk-trace-node").then(commonJsExports),
    import("@opentelemetry/resources").then(commonJsExports),
    loadExporter(protocol, url),
  ]);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ "service.name": serviceName }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name given here.
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new PartInheritance(), new BatchSpanProcessor(exporter)],
  });
  provider.register();
  setTracingEnabled(true);
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      setTracingEnabled(false);
      await provider.shutdown().catch((error: unknown) => diag.warn("trace export at shutdown failed", error));
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

async function loadExporter(protocol: "http/protobuf" | "http/json", url: string): Promise<SpanExporter> {
  const { OTLPTraceExporter } = commonJsExports(
    protocol === "http/json"
      ? await import("@opentelemetry/exporter-trace-otlp-http")
      : await import("@opentelemetry/exporter-trace-otlp-proto"),
  );
  return new OTLPTraceExporter({ url });
}

/**
 * The exports of a CommonJS package loaded with `import()`. Node puts them on the namespace; the
 * bundle `npm start` and the images run (decision 0017) gives a CommonJS chunk only a default
 * export, the package's `module.exports`, so there the names are on `default`.
 */
function commonJsExports<T extends object>(namespace: T): T {
  const fallback = (namespace as { default?: unknown }).default;
  return Object.keys(namespace).some((key) => key !== "default") || typeof fallback !== "object" || fallback === null
    ? namespace
    : (fallback as T);
}

/**
 * Gives a span its parent's `lotgraph.part` when it has none, so a SQL statement, a bus publish
 * or a Cypher query says which part ran it without the adapters knowing their subgraph (in the
 * all-in-one every part shares one resource).
 */
class PartInheritance implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    if (span.attributes[PART_ATTRIBUTE] !== undefined) return;
    const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
    const part = parent?.attributes?.[PART_ATTRIBUTE];
    if (part !== undefined) span.setAttribute(PART_ATTRIBUTE, part);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
