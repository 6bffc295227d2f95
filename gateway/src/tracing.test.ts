import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { injectTraceHeaders, useSubgraphSpans } from "@lotgraph/kit";
import { inMemoryTracing } from "@lotgraph/kit/testing";
import { createSchema, createYoga } from "graphql-yoga";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessDataSource, type InProcessSubgraph } from "./in-process-subgraph.ts";
import { tracedSubgraphFetches, useGatewaySpans } from "./tracing.ts";

/** A small subgraph with the kit's span plugin: the in-process transport's half of the trace. */
const subgraph = createYoga({
  schema: createSchema({ typeDefs: `type Query { lot: String }`, resolvers: { Query: { lot: () => "F-1" } } }),
  plugins: [useSubgraphSpans("inventory")],
  logging: false,
});

/** A small gateway-side yoga with the gateway plugin, whose resolver fetches from the subgraph in process. */
function gatewayOver(fetchLot: () => Promise<unknown>) {
  return createYoga({
    schema: createSchema({
      typeDefs: `type Query { lot: String, requestId: String }`,
      resolvers: {
        Query: {
          lot: async () => JSON.stringify(await fetchLot()),
          requestId: (_root: unknown, _args: unknown, context: { request: Request }) =>
            context.request.headers.get("x-request-id"),
        },
      },
    }),
    plugins: [useGatewaySpans()],
    logging: false,
  });
}

describe("gateway spans over the in-process transport", () => {
  let tracing: ReturnType<typeof inMemoryTracing>;
  beforeAll(() => {
    tracing = inMemoryTracing();
  });
  afterAll(() => tracing.stop());

  it("links request → fetch → subgraph operation in one trace, whose id is the request id", async () => {
    const source = tracedSubgraphFetches(
      "inventory",
      new InProcessDataSource("http://inventory.internal/graphql", subgraph as unknown as InProcessSubgraph, () => {
        const headers: Record<string, string> = {};
        injectTraceHeaders(headers); // as federation.ts builds the forwarded headers
        return headers;
      }),
    );
    const gateway = gatewayOver(() =>
      source.process({
        kind: "incoming operation",
        request: { query: "query Lot__inventory__0 { lot }" },
        context: {},
      } as unknown as GraphQLDataSourceProcessOptions),
    );
    const response = await gateway.fetch("http://gateway/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query LotPage { lot requestId }" }),
    });
    const body = (await response.json()) as { data: { lot: string; requestId: string } };
    expect(JSON.parse(body.data.lot)).toEqual({ data: { lot: "F-1" } });

    const spans = tracing.exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === "query LotPage")!;
    const fetch = spans.find((span) => span.name === "fetch inventory")!;
    const operation = spans.find((span) => span.name === "inventory query Lot__inventory__0")!;
    expect(fetch.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(operation.parentSpanContext?.spanId).toBe(fetch.spanContext().spanId);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(body.data.requestId).toBe(request.spanContext().traceId);
    expect(request.attributes).toMatchObject({ "lotgraph.part": "gateway", "http.response.status_code": 200 });
  });
});
