import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type DocumentNode } from "graphql";
import type { SqlDriver } from "../db/sql.ts";
import { countChanges, formatPosition, parsePosition, readChanges, subjectRegexes } from "./change-reads.ts";

/** Where the kit's change-history SDL lives: composition appends it to every subgraph's SDL. */
export const CHANGES_SDL_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "changes.graphql");

/** The kit's internal change-history reads (changes.graphql), merged into every subgraph's schema. */
export const CHANGES_TYPE_DEFS: DocumentNode = parse(readFileSync(CHANGES_SDL_PATH, "utf8"));

interface OutboxChangesArgs {
  after?: string | null;
  first: number;
  subjects?: string[] | null;
}

/**
 * Resolvers of changes.graphql over one subgraph's own outbox. The access policy lets only other
 * Lotgraph services call them (auth/policy.ts: "internal").
 */
export function changesResolvers(driver: SqlDriver) {
  return {
    Query: {
      outboxChanges: async (_parent: unknown, args: OutboxChangesArgs) => {
        const page = await readChanges(driver, {
          after: args.after ? parsePosition(args.after) : null,
          first: args.first,
          subjects: subjectRegexes(args.subjects),
        });
        return {
          hasMore: page.hasMore,
          changes: page.changes.map((change) => ({
            ...change,
            position: formatPosition(change.position),
            payload: JSON.stringify(change.payload),
            occurredAt: change.occurredAt.toISOString(),
          })),
        };
      },
      outboxChangeCount: (_parent: unknown, args: { subjects?: string[] | null }) =>
        countChanges(driver, subjectRegexes(args.subjects)),
    },
  };
}
