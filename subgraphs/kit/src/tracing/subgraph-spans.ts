import { context as otelContext, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { getOperationAST } from "graphql";
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
  const operationSpans = new WeakSet<Span>();
  return {
    instrumentation: {
      execute({ context }, wrapped) {
        if (!tracingEnabled()) return wrapped();
        const { request } = context as { request?: Request };
        return inSpan(
          `${part} operation`,
          {
            kind: SpanKind.SERVER,
            parent: request ? contextFromHeaders(request.headers) : otelContext.active(),
            attributes: () => ({ [PART_ATTRIBUTE]: part }),
          },
          async (span) => {
            operationSpans.add(span);
            await wrapped();
          },
        );
      },
    },
    onExecute({ args }) {
      if (!tracingEnabled()) return;
      const span = trace.getActiveSpan();
      if (!span || !operationSpans.has(span)) return;
      // Named from the document: internal calls between subgraphs send no operationName.
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation && span.isRecording()) {
        const name = operation.name?.value;
        span.updateName(`${part} ${operation.operation}${name ? ` ${name}` : ""}`);
        span.setAttribute("graphql.operation.type", operation.operation);
        if (name) span.setAttribute("graphql.operation.name", name);
      }
      return {
        onExecuteDone({ result }) {
          const errors = "errors" in result ? result.errors : undefined;
          if (!errors?.length || !span.isRecording()) return;
          span.setAttribute("graphql.error.count", errors.length);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]?.message });
        },
      };
    },
  };
}
