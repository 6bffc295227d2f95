import { randomUUID } from "node:crypto";
import { useEnvelop, type Plugin } from "@envelop/core";
import {
  useErrorCodes,
  useOperationMetrics,
  YOGA_BODY_LIMIT_CHECKED_BY_SERVE,
  type LotgraphMetrics,
  yogaLogger,
  type Logger,
  type TokenService,
} from "@lotgraph/kit";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { callerOf, useBearerCheck } from "./bearer-check.ts";
import { useTrustedDocuments, type TrustedDocuments } from "./trusted-documents.ts";
import { corsFor, edgePlugins, type EdgeSettings } from "./edge.ts";
import { useRateLimits, type CallerRateLimiter } from "./rate-limits.ts";
import type { FederatedExecution } from "./federation.ts";
import { maskError } from "./mask-error.ts";
import { useGatewaySpans } from "./tracing.ts";

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

/**
 * Yoga over the federated execution: request ids, the bearer check of HTTP requests, the rate
 * limit per caller, registered operations (trusted-documents.ts), the edge (CORS, CSRF,
 * introspection, the IDE: edge.ts), error codes and masking, and the live plugin for
 * subscriptions. Operations over graphql-ws carry their
 * socket's session instead of an Authorization header, so the bearer check never sees them
 * (live-sockets.ts).
 */
export function createGatewayYoga(options: {
  tokens: TokenService;
  logger: Logger;
  federated: FederatedExecution;
  liveSubscriptions: Plugin;
  rateLimiter: CallerRateLimiter;
  edge: EdgeSettings;
  trustedDocuments: TrustedDocuments;
  /** Counts and times operations by name and outcome (LOTGRAPH_METRICS_PORT). */
  metrics?: LotgraphMetrics;
}): GatewayYoga {
  const registry = options.tokens.registry;
  const limitedToRegistered = (request: Request) => {
    const caller = callerOf(request);
    return caller !== null && registry !== null && registry.trustedDocumentsOnly(caller.id);
  };
  return createYoga<Record<string, unknown>, Record<string, unknown>>({
    graphqlEndpoint: "/graphql",
    landingPage: false,
    graphiql: options.edge.ide,
    cors: corsFor(options.edge),
    // The GraphQL-over-HTTP persisted documents form: { documentId, variables }.
    extraParamNames: ["documentId"],
    maxRequestBodySize: YOGA_BODY_LIMIT_CHECKED_BY_SERVE,
    logging: yogaLogger(options.logger.child({ component: "yoga" })),
    maskedErrors: { maskError },
    plugins: [
      // First: its span wraps the request, and its trace id is the request id when tracing.
      useGatewaySpans(),
      {
        // Every request gets an id, reused by the subgraphs' logs.
        onRequest({ request }) {
          if (!request.headers.get("x-request-id")) request.headers.set("x-request-id", randomUUID());
        },
      },
      useBearerCheck(options.tokens),
      useRateLimits(options.rateLimiter),
      useTrustedDocuments(options.trustedDocuments, limitedToRegistered),
      ...edgePlugins(options.edge, options.logger),
      useEnvelop(options.federated),
      useErrorCodes(),
      options.liveSubscriptions,
      ...(options.metrics ? useOperationMetrics(options.metrics, "gateway") : []),
    ],
  });
}
