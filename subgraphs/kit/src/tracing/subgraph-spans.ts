import { context as otelContext, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Plugin } from "graphql-yoga";
import { contextFromHeaders } from "./propagation.ts";
import { inSpan, SpanKind, tracingEnabled } from "./spans.ts";
import { PART_ATTRIBUTE } from "./start-tracing.ts";

/**
 * The server span of every operation a subgraph executes, a child of the gateway's fetch named by
 * the request's `traceparent`. It wraps envelop's execute phase, which both transports run: yoga's
 * HTTP pipeline and the gateway's in-process fetch (InProcessDataSource), so the span and the SQL
 * under it are the same either way. With tracing off it adds nothing.
 */
export function useSubgraphSpans(part: string): Plugin {
  return {
    instrumentation: {
      execute({ context }, wrapped) {
        if (!tracingEnabled()) return wrapped();
        const { request, params } = context as { request?: Request; params?: { operationName?: string } };
        const operationName = params?.operationName;
        return inSpan(
          `${part} ${operationName ?? "operation"}`,
          {
            kind: SpanKind.SERVER,
            parent: request ? contextFromHeaders(request.headers) : otelContext.active(),
            attributes: () => ({
              [PART_ATTRIBUTE]: part,
              ...(operationName && { "graphql.operation.name": operationName }),
            }),
          },
          async () => {
            await wrapped();
          },
        );
      },
    },
    onExecute() {
      if (!tracingEnabled()) return;
      return {
        onExecuteDone({ result }) {
          const errors = "errors" in result ? result.errors : undefined;
          const span = trace.getActiveSpan();
          if (!errors?.length || !span?.isRecording()) return;
          span.setAttribute("graphql.error.count", errors.length);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
        },
      };
    },
  };
}
