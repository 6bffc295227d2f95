import type { IncomingMessage, ServerResponse } from "node:http";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { contextFromHeaders } from "./propagation.ts";
import { SpanKind, startSpan, tracingEnabled } from "./spans.ts";
import { PART_ATTRIBUTE } from "./start-tracing.ts";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Runs a plain-HTTP route (an export download, the backup snapshot) inside a server span, a child
 * of the request's `traceparent`, named by its bounded route (`GET /exports/evidence/*`). A route
 * answers in its own time, streaming, so the span lasts until the response has finished or been
 * cut off, and everything the route does meanwhile (its SQL, its forwarding to a subgraph) is
 * under it. With tracing off the route runs as it is.
 */
export function runRouteInSpan(
  part: string,
  routeLabel: string,
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
) {
  if (!tracingEnabled()) return route(req, res);
  const parent = contextFromHeaders(requestHeaders(req));
  const started = startSpan(`${req.method ?? "GET"} ${routeLabel}`, {
    kind: SpanKind.SERVER,
    parent,
    attributes: () => ({
      [PART_ATTRIBUTE]: part,
      "http.request.method": req.method ?? "GET",
      "http.route": routeLabel,
    }),
  });
  if (!started) return route(req, res);
  const { span } = started;
  res.once("close", () => {
    if (span.isRecording()) {
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500 || !res.writableFinished)
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: res.writableFinished ? `HTTP ${res.statusCode}` : "response cut off",
        });
    }
    span.end();
  });
  return context.with(trace.setSpan(parent, span), () => route(req, res));
}

/** The incoming request's trace headers, as `contextFromHeaders` reads them. */
function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const name of ["traceparent", "tracestate"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}
