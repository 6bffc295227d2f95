import { headers as natsHeaders, type MsgHdrs } from "nats";
import type { TraceCarrier } from "../tracing/propagation.ts";
import type { BusMessage } from "./types.ts";

/**
 * A message's trace context as NATS headers (`traceparent`, `tracestate`), beside
 * `Nats-Msg-Id`; undefined without one, so an untraced publish sends no headers at all.
 */
export function traceHeaders(message: BusMessage): MsgHdrs | undefined {
  const carrier = message.traceContext;
  if (!carrier) return undefined;
  const headers = natsHeaders();
  headers.set("traceparent", carrier.traceparent);
  if (carrier.tracestate) headers.set("tracestate", carrier.tracestate);
  return headers;
}

/** The trace context a delivered message's headers carry, if any. */
export function traceContextOfHeaders(headers: MsgHdrs | undefined): TraceCarrier | undefined {
  const traceparent = headers?.get("traceparent");
  if (!traceparent) return undefined;
  const tracestate = headers?.get("tracestate");
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The message as its body is sent: the trace context travels in headers, not in the event. */
export function withoutTraceContext(message: BusMessage): BusMessage {
  if (!message.traceContext) return message;
  const { traceContext: _headers, ...body } = message;
  return body;
}
