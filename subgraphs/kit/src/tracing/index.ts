export {
  activeTraceId,
  failed,
  inChildSpan,
  inSpan,
  SpanKind,
  startChildSpan,
  startSpan,
  tracingEnabled,
  type SpanOptions,
} from "./spans.ts";
export {
  contextFromCarrier,
  contextFromHeaders,
  currentTraceCarrier,
  injectTraceHeaders,
  type TraceCarrier,
} from "./propagation.ts";
export { PART_ATTRIBUTE, startTracing, tracesEndpoint, tracesProtocol, type Tracing } from "./start-tracing.ts";
export { sqlOperation, sqlSpan, tracedAdapterFactory, tracedSqlDriver, type SqlEngine } from "./traced-sql.ts";
export { TracedBus } from "./traced-bus.ts";
export { useSubgraphSpans } from "./subgraph-spans.ts";
export { runRouteInSpan } from "./route-spans.ts";
