import { GraphQLError } from "graphql";
import { errorChain } from "./error-chain.ts";

/**
 * What the database says, in a sentence a client can act on, for the SQLSTATEs that mean "this
 * value cannot be stored or compared", not "something is broken".
 */
const REFUSALS: Record<string, string> = {
  "22P02": "a value is not in the form expected (an id must be a UUID)",
  "22003": "a number is out of range",
  "22007": "a date or time is not valid",
  "22008": "a date or time is out of range",
  "22001": "a text value is too long",
  "22021": "a text value holds a character that cannot be stored",
  "22P05": "a text value holds a character that cannot be stored",
  "54000": "a value is too long to be indexed; use a shorter one",
};

/**
 * The last line behind input validation: a value that validation let through but the database
 * refuses is the caller's, so it is BAD_USER_INPUT, not an unexpected error. Reads SQLSTATE from
 * node-postgres and PGlite (`code`) and from Prisma's driver adapters (`meta.driverAdapterError`).
 * Null when the error is not such a refusal.
 */
export function refusedByDatabase(error: unknown): GraphQLError | null {
  const state = sqlState(error);
  const reason = state ? REFUSALS[state] : undefined;
  if (!reason) return null;
  return new GraphQLError(`invalid input: ${reason}`, { extensions: { code: "BAD_USER_INPUT", sqlState: state } });
}

function sqlState(error: unknown): string | null {
  for (const wrapped of errorChain(error)) {
    const adapted = wrapped.meta?.driverAdapterError?.cause?.originalCode;
    if (typeof adapted === "string") return adapted;
    if (typeof wrapped.code === "string" && /^[0-9A-Z]{5}$/.test(wrapped.code)) return wrapped.code;
  }
  return null;
}
