import { createSecretKey, randomUUID } from "node:crypto";
import { useEnvelop, type Plugin } from "@envelop/core";
import { extractFromHeader, useJWT, type GetSigningKeyFunction } from "@graphql-yoga/plugin-jwt";
import { useErrorCodes, yogaLogger, type Logger } from "@lotgraph/kit";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { FederatedExecution } from "./federation.ts";
import { maskError } from "./mask-error.ts";

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

/**
 * Yoga over the federated execution: request ids, JWT verification of HTTP requests, error codes
 * and masking, and the live plugin for subscriptions. Operations over graphql-ws carry their
 * socket's session instead of an Authorization header, so the JWT plugin finds no token to check
 * again (live-sockets.ts).
 */
export function createGatewayYoga(options: {
  jwtSecret: string;
  logger: Logger;
  federated: FederatedExecution;
  liveSubscriptions: Plugin;
}): GatewayYoga {
  return createYoga<Record<string, unknown>, Record<string, unknown>>({
    graphqlEndpoint: "/graphql",
    landingPage: false,
    logging: yogaLogger(options.logger.child({ component: "yoga" })),
    maskedErrors: { maskError },
    plugins: [
      {
        // Every request gets an id, reused by the subgraphs' logs.
        onRequest({ request }) {
          if (!request.headers.get("x-request-id")) request.headers.set("x-request-id", randomUUID());
        },
      },
      useJWT({
        signingKeyProviders: [signingKey(options.jwtSecret)],
        tokenLookupLocations: [extractFromHeader({ name: "authorization", prefix: "Bearer" })],
        tokenVerification: { algorithms: ["HS256"], issuer: "lotgraph", audience: "lotgraph" },
        // Anonymous requests go on (login needs them); subgraphs refuse what needs a caller.
        reject: { missingToken: false, invalidToken: true },
      }),
      useEnvelop(options.federated),
      useErrorCodes(),
      options.liveSubscriptions,
    ],
  });
}

/**
 * The HS256 secret as a KeyObject, made once. The plugin hands it to jsonwebtoken, which accepts
 * a KeyObject; given the secret as a string, jsonwebtoken first tries to read it as a public key
 * on every request, and that failed attempt (an exception with its stack) cost ~0.7 ms per call.
 * The plugin's type only names strings, hence the cast.
 */
function signingKey(secret: string): GetSigningKeyFunction {
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  return () => key as unknown as string;
}
