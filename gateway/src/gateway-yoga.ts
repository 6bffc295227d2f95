import { randomUUID } from "node:crypto";
import { useEnvelop, type Plugin } from "@envelop/core";
import {
  useErrorCodes,
  YOGA_BODY_LIMIT_CHECKED_BY_SERVE,
  yogaLogger,
  type Logger,
  type TokenService,
} from "@lotgraph/kit";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { useBearerCheck } from "./bearer-check.ts";
import type { FederatedExecution } from "./federation.ts";
import { maskError } from "./mask-error.ts";

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

/**
 * Yoga over the federated execution: request ids, the bearer check of HTTP requests, error codes
 * and masking, and the live plugin for subscriptions. Operations over graphql-ws carry their
 * socket's session instead of an Authorization header, so the bearer check never sees them
 * (live-sockets.ts).
 */
export function createGatewayYoga(options: {
  tokens: TokenService;
  logger: Logger;
  federated: FederatedExecution;
  liveSubscriptions: Plugin;
}): GatewayYoga {
  return createYoga<Record<string, unknown>, Record<string, unknown>>({
    graphqlEndpoint: "/graphql",
    landingPage: false,
    maxRequestBodySize: YOGA_BODY_LIMIT_CHECKED_BY_SERVE,
    logging: yogaLogger(options.logger.child({ component: "yoga" })),
    maskedErrors: { maskError },
    plugins: [
      {
        // Every request gets an id, reused by the subgraphs' logs.
        onRequest({ request }) {
          if (!request.headers.get("x-request-id")) request.headers.set("x-request-id", randomUUID());
        },
      },
      useBearerCheck(options.tokens),
      useEnvelop(options.federated),
      useErrorCodes(),
      options.liveSubscriptions,
    ],
  });
}
