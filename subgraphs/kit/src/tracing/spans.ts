import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";

/**
 * The tracer every Lotgraph part uses. Until `startTracing` registers a provider it is the API's
 * no-op; the helpers below do not even ask it for a span while tracing is off.
 */
const tracer = trace.getTracer("lotgraph");

let tracingOn = false;

/** What `fn` of {@link inSpan} receives with tracing off: a span that records nothing. */
const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Whether this process exports traces (set by `startTracing`, cleared by its shutdown). */
export function tracingEnabled(): boolean {
  return tracingOn;
}

/** @internal Called by `startTracing` only. */
export function setTracingEnabled(on: boolean): void {
  tracingOn = on;
}

export { SpanKind };

export interface SpanOptions {
  kind: SpanKind;
  /** Computed only when the span records, so a sampled-out or disabled span costs no attribute work. */
  attributes?: () => Attributes;
  /** The parent; the active context when left out. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new span that is active for everything `fn` awaits: the span ends when `fn`
 * settles, with an ERROR status and the exception recorded when it throws. With tracing off,
 * `fn` runs as it is, with a span that records nothing.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!tracingOn) return fn(NOT_RECORDING);
  const span = tracer.startSpan(name, { kind: options.kind }, options.parent ?? context.active());
  if (span.isRecording() && options.attributes) span.setAttributes(options.attributes());
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), () => fn(span));
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * {@link inSpan} for work that is only worth a span as part of a larger operation (a SQL
 * statement, a Cypher query): without a recording span active, `fn` runs without one. The outbox
 * relay's polls and the migrations thus make no traces of their own.
 */
export function inChildSpan<T>(name: string, options: SpanOptions, fn: () => Promise<T>): Promise<T> {
  if (!tracingOn || !trace.getActiveSpan()?.isRecording()) return fn();
  return inSpan(name, options, () => fn());
}

/**
 * Starts a span for work whose end the caller observes itself (a driver's lazy result), when a
 * recording span is active; undefined otherwise. The caller ends it; `context` makes it active.
 */
export function startChildSpan(name: string, options: SpanOptions): { span: Span; context: Context } | undefined {
  if (!tracingOn || !trace.getActiveSpan()?.isRecording()) return undefined;
  return startSpan(name, options);
}

/**
 * Starts a span whose end the caller observes itself (a response that finishes later), with
 * tracing on; undefined with it off. The caller ends it; `context` makes it active.
 */
export function startSpan(name: string, options: SpanOptions): { span: Span; context: Context } | undefined {
  if (!tracingOn) return undefined;
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind }, parent);
  if (span.isRecording() && options.attributes) span.setAttributes(options.attributes());
  return { span, context: trace.setSpan(parent, span) };
}

/** Marks a span failed with the error that ended it. */
export function failed(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The trace id of the active span, when tracing is on and one is active. */
export function activeTraceId(): string | undefined {
  if (!tracingOn) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
