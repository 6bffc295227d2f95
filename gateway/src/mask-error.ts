import { GraphQLError, type ExecutionResult } from "graphql";
import { isDependencyUnavailable, serviceUnavailableError } from "@lotgraph/kit";
import { maskError as yogaMaskError, type YogaMaskedErrorOpts } from "graphql-yoga";

/** The code of a refusal a plugin made with an HTTP status and no code (the bearer check, CSRF prevention). */
const CODE_OF_STATUS: Record<number, string> = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN" };

/**
 * Error masking at the edge. Subgraphs already mask their own unexpected errors, so an error a
 * subgraph returned (it carries `serviceName`) is passed on with its message and code, minus the
 * subgraph's name. Refusals without a code get the one their HTTP status means (401
 * UNAUTHENTICATED, 403 FORBIDDEN: a request CSRF prevention refused); a
 * subgraph that cannot be reached is SERVICE_UNAVAILABLE (503); everything else unexpected is
 * masked by yoga.
 */
export const maskError: YogaMaskedErrorOpts["maskError"] = (error, message, isDev) => {
  if (error instanceof GraphQLError) {
    const { serviceName, ...extensions } = error.extensions;
    if (typeof serviceName === "string") {
      return new GraphQLError(error.message, { path: error.path, extensions });
    }
    const http = error.extensions.http as { status?: number } | undefined;
    const code = http?.status ? CODE_OF_STATUS[http.status] : undefined;
    if (code && !error.extensions.code) {
      return new GraphQLError(error.message, { extensions: { ...error.extensions, code } });
    }
  }
  if (isDependencyUnavailable(error))
    return serviceUnavailableError(error instanceof GraphQLError ? error.path : undefined);
  return yogaMaskError(error, message, isDev);
};

/**
 * The gateway's error masking, as yoga applies it to HTTP responses, for results the gateway
 * sends otherwise: over graphql-ws, and the live hub's updates.
 */
export function maskResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const masked = maskError?.(error, "Unexpected error.", false) ?? error;
    return masked instanceof GraphQLError ? masked : new GraphQLError("Unexpected error.");
  });
  return { ...result, errors };
}
