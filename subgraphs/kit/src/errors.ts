import { GraphQLError } from "graphql";

/** The stable `extensions.code` values of DESIGN.md §5. */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "LOT_UNAVAILABLE",
  "INSUFFICIENT_QUANTITY",
  "GATE_BLOCKED",
  "GENEALOGY_CYCLE",
  "SIGNATURE_REQUIRED",
  /** Too many attempts: retry after `retryAfterSeconds` (HTTP 429 with Retry-After at the gateway). */
  "RATE_LIMITED",
  /** A dependency (the database, the bus) is away: retry later (HTTP 503). */
  "SERVICE_UNAVAILABLE",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An expected failure of a domain rule. Domain code throws these; the server maps them once to
 * GraphQL errors with `extensions.code`. Anything else is unexpected and masked.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** The GraphQL form of a domain error. */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    // The code goes last: a detail that happens to be called `code` must never replace it.
    extensions: { ...error.details, code: error.code },
  });
}

/** Shorthand for invalid input naming the offending field. */
export function badInput(field: string, message: string): DomainError {
  return new DomainError("BAD_USER_INPUT", message, { field });
}

export function notFound(entity: string, id: string): DomainError {
  return new DomainError("NOT_FOUND", `${entity} ${id} does not exist`, { entity, id });
}
