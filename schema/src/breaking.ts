import { buildSchema, findBreakingChanges, findDangerousChanges } from "graphql";

/** Differences between two API schemas that matter to existing clients. */
export interface ApiChanges {
  /** Changes that can break an existing operation (removed field, narrowed type, ...). */
  readonly breaking: readonly string[];
  /** Changes that may change behaviour of existing operations (new enum value, new default, ...). */
  readonly dangerous: readonly string[];
}

/**
 * Compares the previously published API schema with a new one using graphql-js's own
 * rules, so "breaking" means what it means to every GraphQL client. Each line reads
 * `CODE: description`, e.g. `FIELD_REMOVED: Lot.code was removed.`
 */
export function findApiChanges(oldApiSdl: string, newApiSdl: string): ApiChanges {
  // The API schema never contains federation directives, so plain buildSchema suffices.
  const before = buildSchema(oldApiSdl);
  const after = buildSchema(newApiSdl);
  return {
    breaking: findBreakingChanges(before, after).map((c) => `${c.type}: ${c.description}`),
    dangerous: findDangerousChanges(before, after).map((c) => `${c.type}: ${c.description}`),
  };
}
