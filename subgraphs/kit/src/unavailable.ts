import { GraphQLError } from "graphql";
import { errorChain } from "./error-chain.ts";

/** Socket errors that mean the other side is not there (or went away), not that we asked badly. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * PostgreSQL's SQLSTATEs for a server that is away: class 08 (connection exception) and the
 * shutdowns of class 57P (admin_shutdown, crash_shutdown, cannot_connect_now).
 */
const UNAVAILABLE_SQLSTATE = /^(08\d{3}|57P0[123])$/;

/** Prisma's codes for the same (can't reach, closed, pool timed out). */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);

/** The kinds of Prisma driver-adapter errors that mean the database is away. */
const ADAPTER_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout", "TooManyConnections"]);

/** node-postgres and Prisma's driver adapters report a lost connection in words only. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|server (has )?closed the connection|Can't reach database server|DatabaseNotReachable|ConnectionClosed|socket hang up|fetch failed|terminating connection due to administrator command/i;

/**
 * Whether an error means a dependency (the database, a peer service) is unreachable right now:
 * the request may be retried later and nothing is wrong with it. Follows `cause` and
 * `originalError` chains, where drivers and GraphQL wrap the socket's error.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (const wrapped of errorChain(error)) {
    const code = typeof wrapped.code === "string" ? wrapped.code : "";
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code) || PRISMA_CODES.has(code)) return true;
    // Prisma's driver adapters name the failure's kind (P2010 "Raw query failed" wraps it).
    const adapted = wrapped.meta?.driverAdapterError?.cause;
    if (typeof adapted?.kind === "string" && ADAPTER_KINDS.has(adapted.kind)) return true;
    if (typeof adapted?.originalCode === "string" && UNAVAILABLE_SQLSTATE.test(adapted.originalCode)) return true;
    if (typeof wrapped.message === "string" && UNAVAILABLE_MESSAGE.test(wrapped.message)) return true;
    // An AggregateError (a connection tried on several addresses) is unavailable if any attempt was.
    const errors = (wrapped as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDependencyUnavailable(inner))) return true;
  }
  return false;
}

/** The answer to a request that met an unavailable dependency: SERVICE_UNAVAILABLE (HTTP 503). */
export function serviceUnavailableError(path?: ReadonlyArray<string | number>): GraphQLError {
  const message =
    "A service Lotgraph depends on is unavailable right now. Retry shortly, with the same idempotencyKey so that nothing is done twice.";
  return new GraphQLError(message, {
    ...(path ? { path } : {}),
    extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503 } },
  });
}
