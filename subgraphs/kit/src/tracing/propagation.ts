import { context, ROOT_CONTEXT, trace, type Context, type TextMapGetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { tracingEnabled } from "./spans.ts";

/**
 * W3C trace context as it travels outside the process: HTTP headers to a subgraph, NATS message
 * headers, the outbox row of an event published later. Always W3C (not the configurable global
 * propagator): it is the one format every part of Lotgraph reads.
 */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

const w3c = new W3CTraceContextPropagator();

const recordGetter: TextMapGetter<Record<string, string | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

const headersGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** The active span's context as a carrier, or undefined when tracing is off or nothing records. */
export function currentTraceCarrier(active: Context = context.active()): TraceCarrier | undefined {
  if (!tracingEnabled() || !trace.getSpan(active)?.isRecording()) return undefined;
  const carrier: Record<string, string> = {};
  w3c.inject(active, carrier, { set: (target, key, value) => (target[key] = value) });
  return carrier.traceparent ? (carrier as unknown as TraceCarrier) : undefined;
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers, when tracing. */
export function injectTraceHeaders(headers: Record<string, string>): void {
  const carrier = currentTraceCarrier();
  if (!carrier) return;
  headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
}

/** The remote parent a carrier names, as a context to start a span in; the root context without one. */
export function contextFromCarrier(carrier: Partial<TraceCarrier> | null | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, carrier, recordGetter);
}

/** The remote parent of an incoming HTTP request (its traceparent header). */
export function contextFromHeaders(headers: Headers): Context {
  if (!headers.has("traceparent")) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, headers, headersGetter);
}
