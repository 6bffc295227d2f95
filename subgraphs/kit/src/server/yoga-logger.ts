import { GraphQLError } from "graphql";
import type { YogaLogger } from "graphql-yoga";
import { DomainError, ERROR_CODES } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { refusedByDatabase } from "../refused-by-database.ts";

const EXPECTED = new Set<string>([...ERROR_CODES, "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"]);

function isRefusal(arg: unknown): boolean {
  if (!(arg instanceof GraphQLError)) return false;
  if (arg.originalError instanceof DomainError) return true;
  // Masked into BAD_USER_INPUT afterwards (and logged once, as a warning, by the subgraph server).
  if (refusedByDatabase(arg.originalError)) return true;
  if (EXPECTED.has(String(arg.extensions?.code))) return true;
  const status = (arg.extensions?.http as { status?: number } | undefined)?.status;
  return status === 400 || status === 401 || status === 403;
}

/**
 * yoga's logger, backed by pino. A refused mutation (FORBIDDEN, BAD_USER_INPUT, …) is the system
 * working, not failing: those are logged at debug so real errors stand out at error level.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const isExpected = (args: unknown[]) => args.some(isRefusal);
  return {
    debug: (...args) => logger.debug(args.length === 1 ? args[0] : { args }),
    info: (...args) => logger.info(args.length === 1 ? args[0] : { args }),
    warn: (...args) => logger.warn(args.length === 1 ? args[0] : { args }),
    error: (...args) => {
      const entry = args.length === 1 ? { err: args[0] } : { args };
      if (isExpected(args)) logger.debug(entry, "request refused");
      else logger.error(entry, "request failed");
    },
  };
}
