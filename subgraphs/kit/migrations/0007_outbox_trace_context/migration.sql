-- The W3C trace context (traceparent, tracestate) of the operation that wrote the event, when
-- tracing was on: the relay publishes later, outside that operation, and parents its publish span
-- on this context so the event's publish and its consumers join the mutation's trace
-- (docs/decisions/0025-tracing.md). NULL when tracing is off or the writer was not traced.
ALTER TABLE "outbox" ADD COLUMN "trace_context" JSONB;
