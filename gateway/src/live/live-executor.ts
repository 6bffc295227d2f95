import { randomUUID } from "node:crypto";
import { GraphQLError, type ExecutionResult } from "graphql";
import type { YogaServerInstance } from "graphql-yoga";
import type { Role, TokenService } from "@lotgraph/kit";
import { maskError } from "../mask-error.ts";
import type { LiveExecutor } from "./live-hub.ts";

/** How long a live token lives, and how early before its expiry a new one is signed. */
const TOKEN_TTL_SECONDS = 300;
const TOKEN_RENEW_MS = 60_000;

/**
 * Runs live queries through the gateway's own envelop pipeline, so they are planned and executed
 * by the same @apollo/gateway executor as HTTP queries and reach the subgraphs with a bearer
 * token the subgraphs verify as usual.
 *
 * A group of subscribers shares one execution, so no single subscriber's token can be forwarded
 * (it may expire or be revoked while others stay). The gateway instead signs a short-lived
 * service-account token holding exactly the group's roles: the subgraphs answer as they would
 * answer any of its members (docs/decisions/0010).
 */
export function createLiveExecutor(
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>,
  tokens: TokenService,
): LiveExecutor {
  const signed = new Map<string, { token: Promise<string>; renewAt: number }>();
  const tokenFor = (roles: readonly Role[]): Promise<string> => {
    const key = [...roles].sort().join(",");
    const cached = signed.get(key);
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const token = tokens.sign(
      { id: `live:${key}`, name: "live updates", kind: "service-account", roles: [...roles] },
      TOKEN_TTL_SECONDS,
    );
    signed.set(key, { token, renewAt: Date.now() + TOKEN_TTL_SECONDS * 1000 - TOKEN_RENEW_MS });
    return token;
  };

  return async (document, variables, roles) => {
    const request = new Request("http://gateway.internal/graphql", {
      method: "POST",
      headers: { authorization: `Bearer ${await tokenFor(roles)}`, "x-request-id": randomUUID() },
    });
    const { schema, execute, contextFactory } = yoga.getEnveloped({ request });
    const result = (await execute({
      schema,
      document,
      variableValues: variables,
      contextValue: await contextFactory(),
    })) as ExecutionResult;
    return maskResult(result);
  };
}

/** The gateway's error masking, as yoga applies it to HTTP responses. */
export function maskResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const masked = maskError?.(error, "Unexpected error.", false) ?? error;
    return masked instanceof GraphQLError ? masked : new GraphQLError("Unexpected error.");
  });
  return { ...result, errors };
}
