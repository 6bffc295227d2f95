import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { Plugin } from "@envelop/core";
import {
  contextFromHeaders,
  inSpan,
  PART_ATTRIBUTE,
  SpanKind,
  tracingEnabled,
} from "@lotgraph/kit";
import type { Span } from "@opentelemetry/api";

/**
 * The gateway's server span: one per HTTP request, a child of the caller's `traceparent` when it
 * sends one, named after the operation once yoga has read it. Everything the request does runs in
 * it (@apollo/gateway's own plan/execute/fetch spans, our subgraph fetches below), and its trace
 * id becomes the request id that errors carry (extensions.requestId) and the subgraphs log. With
 * tracing off the plugin does nothing, and request ids stay random UUIDs.
 */
export function useGatewaySpans(): Plugin<Record<string, unknown>> {
  const spans = new WeakMap<Request, Span>();
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
            spans.set(request, span);
            // The request id is the trace id, so what a person quotes finds the whole trace.
            request.headers.set("x-request-id", span.spanContext().traceId);
            await wrapped();
          },
        );
      },
    },
    onParams({ params, request }: { params: { operationName?: string | null }; request: Request }) {
      const span = spans.get(request);
      if (!span?.isRecording() || !params.operationName) return;
      span.updateName(`graphql ${params.operationName}`);
      span.setAttribute("graphql.operation.name", params.operationName);
    },
    onResponse({ request, response }: { request: Request; response: Response }) {
      const span = spans.get(request);
      if (span?.isRecording()) span.setAttribute("http.response.status_code", response.status);
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
