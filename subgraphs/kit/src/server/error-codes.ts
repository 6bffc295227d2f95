import type { Plugin } from "graphql-yoga";
import { GraphQLError, type ExecutionResult } from "graphql";

/**
 * Gives every error a GraphQL server answers a stable `extensions.code`: the plugins and the
 * engine's own errors come without one (a depth or token limit, a syntax error, a variable of the
 * wrong type, a rejected token). A client can then tell "your query" from "your token" from "our
 * fault" without reading messages.
 */
export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(withCodes));
      else if (isExecutionResult(result)) setResult(withCodes(result));
    },
  };
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === "object" && value !== null && "errors" in value;
}

function withCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => !error.extensions?.["code"])) return result;
  return { ...result, errors: result.errors.map(coded) };
}

function coded(error: GraphQLError): GraphQLError {
  if (error.extensions?.["code"]) return error;
  const { code, status } = classify(error.message);
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.source ? { source: error.source, positions: error.positions } : {}),
    originalError: error.originalError,
    extensions: { ...error.extensions, code, ...(status ? { http: { status } } : {}) },
  });
}

/** The code of an error that came without one, from what raised it. */
function classify(message: string): { code: string; status?: number } {
  if (/authentication token|unauthenticated|jwt/i.test(message)) return { code: "UNAUTHENTICATED", status: 401 };
  if (/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(message))
    return { code: "BAD_USER_INPUT" };
  if (/^Syntax Error: .*(limit|exceeded)/i.test(message)) return { code: "GRAPHQL_VALIDATION_FAILED" };
  if (/^Syntax Error/.test(message)) return { code: "GRAPHQL_PARSE_FAILED" };
  if (/exceeded|limit/i.test(message)) return { code: "GRAPHQL_VALIDATION_FAILED" };
  return { code: "INTERNAL_SERVER_ERROR" };
}
