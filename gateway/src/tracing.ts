import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { Plugin } from "@envelop/core";
import { contextFromHeaders, inSpan, PART_ATTRIBUTE, SpanKind, tracingEnabled } from "@lotgraph/kit";
import { trace, type Span } from "@opentelemetry/api";
import { getOperationAST } from "graphql";

/**
 * The gateway's server span: one per HTTP request, a child of the caller's `traceparent` when it
 * sends one, named after the operation (`query LotWithQuality`) once it is parsed. Everything the request does runs in
 * it (@apollo/gateway's own plan/execute/fetch spans, our subgraph fetches below), and its trace
 * id becomes the request id that errors carry (extensions.requestId) and the subgraphs log. With
 * tracing off the plugin does nothing, and request ids stay random UUIDs.
 */
export function useGatewaySpans(): Plugin<Record<string, unknown>> {
  const requestSpans = new WeakSet<Span>();
  return {
    instrumentation: {
      request({ request }: { request: Request }, wrapped: () => Promise<void> | void) {
        if (!tracingEnabled()) return wrapped();
        const url = new URL(request.url);
        return inSpan(
          `${request.method} ${url.pathname}`,
          {
            kind: SpanKind.SERVER,
            parent: contextFromHeaders(request.headers),
            attributes: () => ({
              [PART_ATTRIBUTE]: "gateway",
              "http.request.method": request.method,
              "url.path": url.pathname,
            }),
          },
          async (span) => {
            requestSpans.add(span);
            // The request id is the trace id, so what a person quotes finds the whole trace.
            request.headers.set("x-request-id", span.spanContext().traceId);
            await wrapped();
          },
        );
      },
    },
    onExecute({ args }) {
      // Named once the document is parsed: the name in the document, not only a sent operationName.
      const span = trace.getActiveSpan();
      if (!span || !requestSpans.has(span) || !span.isRecording()) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (!operation) return;
      const name = operation.name?.value;
      span.updateName(`${operation.operation}${name ? ` ${name}` : ""}`);
      span.setAttribute("graphql.operation.type", operation.operation);
      if (name) span.setAttribute("graphql.operation.name", name);
    },
    onResponse({ response }: { response: Response }) {
      const span = trace.getActiveSpan();
      if (span && requestSpans.has(span) && span.isRecording())
        span.setAttribute("http.response.status_code", response.status);
    },
  } as Plugin<Record<string, unknown>>;
}

/**
 * A subgraph fetch as a client span, whichever transport runs it (HTTP or in process). The
 * forwarded headers are built inside it (federation.ts), so the `traceparent` the subgraph
 * receives names this span as its parent.
 */
export function tracedSubgraphFetches(subgraph: string, source: GraphQLDataSource): GraphQLDataSource {
  if (!tracingEnabled()) return source;
  return {
    process: (options: GraphQLDataSourceProcessOptions) =>
      inSpan(
        `fetch ${subgraph}`,
        {
          kind: SpanKind.CLIENT,
          attributes: () => ({
            [PART_ATTRIBUTE]: "gateway",
            "lotgraph.subgraph": subgraph,
            ...(options.request.operationName && { "graphql.operation.name": options.request.operationName }),
          }),
        },
        () => source.process(options),
      ),
  };
}
