import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { expectNoSchemaDrift } from "@lotgraph/kit/testing";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SUBGRAPHS = ["identity", "inventory", "production", "quality", "traceability"] as const;
const DATABASE_URL = process.env.DATABASE_URL;
/** A drift check opens a database and runs Prisma's schema engine: seconds, not milliseconds. */
const SLOW = 60_000;

/** Every subgraph's SQL migrations build exactly its Prisma schema plus the kit's tables. */
describe.each(SUBGRAPHS)("%s migrations", (subgraph) => {
  const dir = join(ROOT, "subgraphs", subgraph);

  it("produce exactly prisma/schema.prisma plus the kit's tables on PGlite", () => expectNoSchemaDrift(dir), SLOW);

  // Needs a PostgreSQL server: skipped unless DATABASE_URL is set. Runs in a throwaway schema.
  it.skipIf(!DATABASE_URL)(
    "produce exactly prisma/schema.prisma plus the kit's tables on PostgreSQL",
    () => expectNoSchemaDrift(dir, { databaseUrl: DATABASE_URL }),
    SLOW,
  );
});
