import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from "../support/otlp-receiver.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

/** The variables this file sets for its own stack (tracing reads process.env, as the SDK does). */
const TRACING_ENV = {
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  // Short batches: the receiver sees spans soon after they end.
  OTEL_BSP_SCHEDULE_DELAY: "50",
} as const;

const LOT_WITH_QUALITY = `query LotWithQuality($id: ID!) {
  lot(id: $id) { code material { sku } qualityStatus holds { reason } }
}`;

/**
 * Issue 22's traces, through the gateway with the subgraphs reached over HTTP (the transport of
 * separate processes): an OTLP/HTTP receiver in this process sees one trace for a cross-subgraph
 * query, from the gateway's server span through each subgraph fetch and the subgraph's operation
 * to its SQL; a mutation's event publish (over NATS headers in services mode) and its consumers in
 * the same trace; and a masked error whose request id is the trace id.
 */
describe(`OpenTelemetry traces across the gateway, subgraphs, SQL and the bus (${TEST_MODE} mode)`, () => {
  let receiver: OtlpReceiver;
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let lotId: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const env = { ...TRACING_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    lotgraph = await startTestLotgraph({ subgraphTransport: "http" });
    expect(lotgraph.tracing.enabled).toBe(true);
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    const flour = await create(
      admin,
      "createMaterial",
      { sku: "FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    lotId = await create(
      admin,
      "receiveLot",
      { code: "F-1", materialId: flour, quantity: "100", locationId: site },
      "lot",
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await receiver?.close();
  });

  it("one trace spans the gateway, each subgraph fetch, the two subgraphs and their SQL", async () => {
    const { traceparent, traceId, parentId } = callerTraceContext();
    const answer = await post(LOT_WITH_QUALITY, { id: lotId }, { traceparent });
    expect(answer.errors).toBeUndefined();

    const spans = await traceOf(traceId, (spans) => {
      for (const part of ["inventory", "quality"]) expect(sqlUnder(spans, serverSpanOf(spans, part))).not.toEqual([]);
    });
    // The gateway's server span continues the caller's trace.
    const gateway = only(
      spans,
      (span) => span.kind === SPAN_KIND.server && span.attributes["lotgraph.part"] === "gateway",
    );
    expect(gateway.parentSpanId).toBe(parentId);
    expect(gateway.name).toBe("query LotWithQuality");
    for (const part of ["inventory", "quality"]) {
      const server = serverSpanOf(spans, part);
      // Each subgraph's operation is the child of the gateway's fetch of that subgraph...
      const fetch = byId(spans, server.parentSpanId);
      expect(fetch).toMatchObject({ kind: SPAN_KIND.client, name: `fetch ${part}` });
      expect(fetch.attributes["lotgraph.subgraph"]).toBe(part);
      // ... which runs within the gateway's request.
      expect(ancestors(spans, fetch)).toContain(gateway);
      // Its statements are children of its operation, with their text and no values.
      for (const sql of sqlUnder(spans, server)) {
        expect(sql.kind).toBe(SPAN_KIND.client);
        expect(sql.attributes).toMatchObject({ "db.system": "postgresql", "lotgraph.part": part });
        expect(sql.attributes["db.operation"]).toBe(sql.name);
        expect(sql.attributes["db.statement"]).not.toContain(lotId);
      }
    }
    expect(new Set(spans.map((span) => span.serviceName))).toEqual(new Set(["lotgraph"]));
  });

  it("a mutation's event is published, and consumed, in the mutation's trace", async () => {
    const { traceparent, traceId } = callerTraceContext();
    const answer = await post(
      `mutation Hold($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
      { input: { lotId, reason: "traced hold", propagate: false } },
      { traceparent },
    );
    expect(answer.errors).toBeUndefined();

    const spans = await traceOf(traceId, (spans) => {
      const publish = spans.find((span) => span.kind === SPAN_KIND.producer && span.name.includes(".hold."));
      expect(publish).toBeDefined();
      expect(spans.some((span) => span.kind === SPAN_KIND.consumer && span.parentSpanId === publish!.spanId)).toBe(
        true,
      );
    });
    const quality = serverSpanOf(spans, "quality");
    const publish = only(spans, (span) => span.kind === SPAN_KIND.producer && span.name.includes(".hold."));
    // Published later by the outbox relay, parented on the context stored with the outbox row.
    expect(ancestors(spans, publish)).toContain(quality);
    expect(publish.attributes).toMatchObject({
      "messaging.system": TEST_MODE === "services" ? "nats" : "lotgraph.in-process",
      "messaging.operation.type": "send",
    });
    // In services mode the context reached the consumer only through the NATS message headers.
    const consumers = spans.filter((span) => span.kind === SPAN_KIND.consumer && span.parentSpanId === publish.spanId);
    expect(consumers.map((span) => span.attributes["messaging.system"])).toEqual(
      consumers.map(() => publish.attributes["messaging.system"]),
    );
    // Quality's synchronous call to inventory (the lot goes on hold there) is in the trace too.
    const inventory = spans.filter(
      (span) => span.kind === SPAN_KIND.server && span.attributes["lotgraph.part"] === "inventory",
    );
    expect(inventory.some((span) => span.parentSpanId === quality.spanId)).toBe(true);
  });

  it("a masked error's request id is the trace id of its request", async () => {
    const quality = lotgraph.databases.quality;
    // A real fault, not a stand-in: quality's table is away while the query runs.
    await quality.exec(`ALTER TABLE hold RENAME TO hold_away`);
    let answer: Answer;
    try {
      answer = await post(LOT_WITH_QUALITY, { id: lotId });
    } finally {
      await quality.exec(`ALTER TABLE hold_away RENAME TO hold`);
    }
    const masked = answer.errors?.find((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR");
    expect(masked, JSON.stringify(answer.errors)).toBeDefined();
    const requestId = String(masked!.extensions!.requestId);
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);

    const spans = await traceOf(requestId, (spans) => {
      expect(spans.some((span) => span.attributes["db.system"] && span.statusCode === 2)).toBe(true);
    });
    const gateway = only(
      spans,
      (span) => span.kind === SPAN_KIND.server && span.attributes["lotgraph.part"] === "gateway",
    );
    expect(gateway.parentSpanId).toBe("");
    expect(serverSpanOf(spans, "quality").statusCode).toBe(2);
  });

  it("a download is one trace: the gateway's route, traceability's route and its SQL", async () => {
    const { traceparent, traceId, parentId } = callerTraceContext();
    const response = await fetch(new URL("/exports/audit.csv", lotgraph.gatewayUrl), {
      headers: { authorization: `Bearer ${admin.token}`, traceparent },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("lot.received");

    const spans = await traceOf(traceId, (spans) =>
      expect(sqlUnder(spans, routeSpanOf(spans, "traceability"))).not.toEqual([]),
    );
    const gateway = routeSpanOf(spans, "gateway");
    expect(gateway).toMatchObject({ name: "GET /exports/audit.csv", parentSpanId: parentId });
    expect(Number(gateway.attributes["http.response.status_code"])).toBe(200);
    const traceability = routeSpanOf(spans, "traceability");
    expect(traceability).toMatchObject({ name: "GET /exports/audit.csv", parentSpanId: gateway.spanId });
    expect(Number(traceability.attributes["http.response.status_code"])).toBe(200);
  });

  /** Waits until the receiver holds the trace and `complete` passes on it. */
  async function traceOf(traceId: string, complete: (spans: ReceivedSpan[]) => void): Promise<ReceivedSpan[]> {
    return eventually(
      async () => {
        await lotgraph.tracing.flush();
        const spans = receiver.trace(traceId);
        complete(spans);
        return spans;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  }

  async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await fetch(lotgraph.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  }
});

interface Answer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** A caller's own trace context, as a client instrumented with OpenTelemetry would send it. */
function callerTraceContext() {
  const traceId = randomBytes(16).toString("hex");
  const parentId = randomBytes(8).toString("hex");
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

function byId(spans: ReceivedSpan[], spanId: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.spanId === spanId);
  if (!span) throw new Error(`no span ${spanId} among ${listSpans(spans)}`);
  return span;
}

function only(spans: ReceivedSpan[], predicate: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one span, found ${found.length} among ${listSpans(spans)}`);
  return found[0]!;
}

/** The subgraph's server span (its operation) in the trace; one per subgraph here. */
function serverSpanOf(spans: ReceivedSpan[], part: string): ReceivedSpan {
  return only(spans, (span) => span.kind === SPAN_KIND.server && span.attributes["lotgraph.part"] === part);
}

/** A part's server span of a plain-HTTP route (an export), named by its method and route. */
function routeSpanOf(spans: ReceivedSpan[], part: string): ReceivedSpan {
  return only(
    spans,
    (span) =>
      span.kind === SPAN_KIND.server && span.attributes["lotgraph.part"] === part && "http.route" in span.attributes,
  );
}

/** The span's ancestors within the trace, nearest first. */
function ancestors(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const chain: ReceivedSpan[] = [];
  let parent = spans.find((candidate) => candidate.spanId === span.parentSpanId);
  while (parent) {
    chain.push(parent);
    const current: ReceivedSpan = parent;
    parent = spans.find((candidate) => candidate.spanId === current.parentSpanId);
  }
  return chain;
}

/** SQL statement spans whose nearest server span is `server`. */
function sqlUnder(spans: ReceivedSpan[], server: ReceivedSpan): ReceivedSpan[] {
  return spans.filter(
    (span) =>
      span.attributes["db.system"] === "postgresql" &&
      ancestors(spans, span).find((ancestor) => ancestor.kind === SPAN_KIND.server) === server,
  );
}

function listSpans(spans: ReceivedSpan[]): string {
  return JSON.stringify(
    spans.map(({ name, kind, spanId, parentSpanId, attributes }) => ({
      name,
      kind,
      spanId,
      parentSpanId,
      part: attributes["lotgraph.part"],
    })),
    null,
    1,
  );
}
