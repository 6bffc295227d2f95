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
    // Yoga answers a body it has no parser for (text/plain, XML...) with an empty 415.
    onRequestParse({ request, requestParser, endResponse, fetchAPI }) {
      if (requestParser) return;
      const type = request.headers.get("content-type") ?? "none";
      const body = {
        errors: [
          {
            message: `A request body of type ${type.slice(0, 80)} cannot be read: send application/json.`,
            extensions: { code: "BAD_REQUEST" },
          },
        ],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { "content-type": "application/json" } }),
      );
    },
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
  if (!result.errors?.some((error) => !error.extensions?.["code"] || needsStatus(error))) return result;
  return { ...result, errors: result.errors.map((error) => withStatus(coded(error))) };
}

/** HTTP statuses that go with a code (yoga answers the status of an error's `extensions.http`). */
const STATUS: Record<string, number> = { RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

const needsStatus = (error: GraphQLError): boolean =>
  typeof error.extensions?.["code"] === "string" && error.extensions["code"] in STATUS && !error.extensions["http"];

/** A rate limit answers 429 with Retry-After; a dependency away answers 503. */
function withStatus(error: GraphQLError): GraphQLError {
  if (!needsStatus(error)) return error;
  const code = error.extensions["code"] as string;
  const retryAfter = error.extensions["retryAfterSeconds"];
  return new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    extensions: {
      ...error.extensions,
      http: {
        status: STATUS[code],
        ...(typeof retryAfter === "number" ? { headers: { "retry-after": String(retryAfter) } } : {}),
      },
    },
  });
}

/**
 * The error with a code, for errors answered outside yoga's HTTP results (graphql-ws operations).
 * Accepts errors built by another copy of graphql (armor and Apollo load the CommonJS build), which
 * `instanceof GraphQLError` would not recognise.
 */
export function codedError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return coded(error);
  const like = error as { message?: unknown; extensions?: Record<string, unknown> } | null;
  const message = typeof like?.message === "string" ? like.message : String(error);
  return coded(new GraphQLError(message, { extensions: { ...like?.extensions } }));
}

/** Whether a value is a GraphQLError of any copy of graphql. */
export function isGraphQLErrorLike(error: unknown): boolean {
  return error instanceof GraphQLError || (error instanceof Error && error.name === "GraphQLError");
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
  // Armor's token limit says "Syntax Error: Token limit...": syntax comes before authentication.
  if (/^Syntax Error: .*(limit|exceeded)/i.test(message)) return { code: "GRAPHQL_VALIDATION_FAILED" };
  if (/^Syntax Error/.test(message)) return { code: "GRAPHQL_PARSE_FAILED" };
  if (/authentication|unauthenticated|jwt|token is missing|invalid token|token.*expired/i.test(message))
    return { code: "UNAUTHENTICATED", status: 401 };
  if (/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(message))
    return { code: "BAD_USER_INPUT" };
  if (/exceeded|limit/i.test(message)) return { code: "GRAPHQL_VALIDATION_FAILED" };
  return { code: "INTERNAL_SERVER_ERROR" };
}
