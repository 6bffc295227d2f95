import { describe, expect, it } from "vitest";
import type { BusMessage } from "./types.ts";
import { traceContextOfHeaders, traceHeaders, withoutTraceContext } from "./nats-trace-headers.ts";

const event: BusMessage = {
  id: "e-1",
  subject: "lotgraph.inventory.lot.received",
  entityType: "Lot",
  entityId: "l-1",
  payload: {},
  occurredAt: "2026-12-06T00:00:00.000Z",
};
const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

describe("NATS trace headers", () => {
  it("carry the trace context beside the event, never in its body", () => {
    const traced = { ...event, traceContext: { traceparent, tracestate: "vendor=1" } };
    const headers = traceHeaders(traced);
    expect(headers?.get("traceparent")).toBe(traceparent);
    expect(traceContextOfHeaders(headers)).toEqual({ traceparent, tracestate: "vendor=1" });
    expect(withoutTraceContext(traced)).toEqual(event);
  });

  it("are absent for an untraced event, which arrives without a context", () => {
    expect(traceHeaders(event)).toBeUndefined();
    expect(traceContextOfHeaders(undefined)).toBeUndefined();
    expect(withoutTraceContext(event)).toBe(event);
  });
});
