import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSchemaDrift, schemaDrift, type SchemaDriftOptions } from "../testing/schema-drift.ts";
import { migrate, readMigrations } from "./migrate.ts";
import { createSchemaPool, pgDriver, quoteIdent } from "./pg-driver.ts";
import { pgliteDriver } from "./pglite-driver.ts";
import { diffDatabaseToSchema, schemaEnginePgAdapter } from "./schema-diff.ts";
import type { SqlDriver } from "./sql.ts";

const KIT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const KIT_PRISMA = join(KIT, "prisma", "kit.prisma");

// A model with what the engine reads from catalog columns of type "char": a foreign key with an
// action, an enum, a composite index.
const EXTRA_MODELS = `
enum Colour {
  RED
  BLUE
}

model ExtraThing {
  id      String   @id @db.Uuid
  colour  Colour
  ownerId BigInt   @map("owner_id")
  owner   AuditLog @relation(fields: [ownerId], references: [seq], onDelete: Cascade)

  @@index([colour, ownerId])
  @@map("extra_thing")
}
`;

let scratch: string;
let extraPrisma: string;
let kitWithBackRelation: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "schema-diff-"));
  extraPrisma = join(scratch, "extra.prisma");
  await writeFile(extraPrisma, EXTRA_MODELS);
  // Prisma relations need both sides: a copy of kit.prisma whose AuditLog lists ExtraThing.
  kitWithBackRelation = join(scratch, "kit.prisma");
  const kit = await readFile(KIT_PRISMA, "utf8");
  await writeFile(kitWithBackRelation, kit.replace(/(model AuditLog \{\n)/, "$1  extras ExtraThing[]\n"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** PGlite starts in about a second, and a drift check opens one per call. */
const SLOW = 30_000;

/** A toy subgraph: drift until the SQL the check reports is written as its first migration. */
async function driftRoundTrip(options: SchemaDriftOptions) {
  const subgraph = await mkdtemp(join(scratch, "toy-"));
  await mkdir(join(subgraph, "prisma"));
  await writeFile(
    join(subgraph, "prisma", "schema.prisma"),
    'datasource db {\n  provider = "postgresql"\n}\n\nmodel Toy {\n  id Int @id\n\n  @@map("toy")\n}\n',
  );
  await expect(expectNoSchemaDrift(subgraph, options)).rejects.toThrow(/CREATE TABLE "toy"/);
  const sql = await schemaDrift(subgraph, options);
  const migration = join(subgraph, "prisma", "migrations", "20250101000000_toy");
  await mkdir(migration, { recursive: true });
  await writeFile(join(migration, "migration.sql"), sql);
  await expectNoSchemaDrift(subgraph, options);
}

/** The checks every database target must pass; `open` gives a kit-migrated database. */
function diffSuite(
  open: () => Promise<{
    driver: SqlDriver;
    diff: (files: string[]) => Promise<string>;
    close: () => Promise<void>;
  }>,
) {
  it(
    "finds the kit's migration identical to kit.prisma, append-only triggers included",
    async () => {
      const db = await open();
      try {
        // The triggers are there, and Prisma does not see them as drift.
        const triggers = await db.driver.query<{ tgname: string }>(
          "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY tgname",
        );
        expect(triggers.map((t) => t.tgname)).toEqual(["audit_log_no_truncate", "audit_log_no_update"]);
        expect(await db.diff([KIT_PRISMA])).toBe("");
      } finally {
        await db.close();
      }
    },
    SLOW,
  );

  it(
    "reports a model the database lacks, and the reported SQL closes the gap",
    async () => {
      const db = await open();
      try {
        const files = [kitWithBackRelation, extraPrisma];
        const sql = await db.diff(files);
        expect(sql).toContain('CREATE TABLE "extra_thing"');
        expect(sql).toContain('CREATE TYPE "Colour"');
        expect(sql).toMatch(/FOREIGN KEY \("owner_id"\) REFERENCES "audit_log"\("seq"\) ON DELETE CASCADE/);
        await db.driver.exec(sql);
        expect(await db.diff(files)).toBe("");
      } finally {
        await db.close();
      }
    },
    SLOW,
  );
}

describe("diffDatabaseToSchema on PGlite", () => {
  diffSuite(async () => {
    const pglite = new PGlite();
    const driver = pgliteDriver(pglite);
    await migrate(driver, await readMigrations(join(KIT, "migrations"), "kit/"));
    const adapter = new PrismaPGlite(pglite);
    return {
      driver,
      diff: (schemaFiles) => diffDatabaseToSchema({ adapter, schemaFiles }),
      close: () => driver.close(),
    };
  });

  it("checks a subgraph with expectNoSchemaDrift", () => driftRoundTrip({}), SLOW);
});

// Needs a PostgreSQL server (CI's services mode); each run works in its own schema, dropped after.
describe.skipIf(!process.env.DATABASE_URL)("diffDatabaseToSchema on PostgreSQL", () => {
  const url = process.env.DATABASE_URL ?? "";
  diffSuite(async () => {
    const schema = `schema_diff_${randomBytes(6).toString("hex")}`;
    const admin = createSchemaPool(url, "public", 1);
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    const driver = pgDriver(createSchemaPool(url, schema, 2));
    await migrate(driver, await readMigrations(join(KIT, "migrations"), "kit/"));
    const { adapter, close } = schemaEnginePgAdapter(url, schema);
    return {
      driver,
      diff: (schemaFiles) => diffDatabaseToSchema({ adapter, schemaFiles }),
      close: async () => {
        await close();
        await driver.close();
        await admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
        await admin.end();
      },
    };
  });

  it("checks a subgraph with expectNoSchemaDrift", () => driftRoundTrip({ databaseUrl: url }), SLOW);
});
