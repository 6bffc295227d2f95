import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { Database } from "../db/database.ts";
import { quoteIdent } from "../db/pg-driver.ts";
import { diffDatabaseToSchema, schemaEnginePgAdapter } from "../db/schema-diff.ts";
import type { SqlExecutor } from "../db/sql.ts";

const KIT_PRISMA = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "prisma", "kit.prisma");

export interface SchemaDriftOptions {
  /** Check on this PostgreSQL, in a throwaway schema dropped afterwards; in-memory PGlite if unset. */
  databaseUrl?: string;
}

/**
 * Applies the kit's and the subgraph's migrations to a fresh database, exactly as
 * `Database.open` does in production, and returns the SQL that would still be needed to reach
 * `<subgraphDir>/prisma/schema.prisma` + the kit's `kit.prisma`: `""` when the migrations and the
 * datamodel agree. `scripts/migration-new.ts` writes this SQL as the next migration.
 */
export async function schemaDrift(subgraphDir: string, options: SchemaDriftOptions = {}): Promise<string> {
  const schemaFiles = [join(subgraphDir, "prisma", "schema.prisma"), KIT_PRISMA];
  const migrationsDir = join(subgraphDir, "prisma", "migrations");
  const { databaseUrl } = options;
  if (!databaseUrl) {
    const db = await Database.open<AdapterOnly, SqlExecutor>({
      target: { kind: "pglite", dataDir: null },
      migrationsDir,
      createClient: adapterOnly,
    });
    try {
      return await diffDatabaseToSchema({ adapter: db.client.adapter, schemaFiles });
    } finally {
      await db.close();
    }
  }
  const schema = `drift_${randomBytes(6).toString("hex")}`;
  try {
    const db = await Database.open<AdapterOnly, SqlExecutor>({
      target: { kind: "postgres", url: databaseUrl, schema },
      migrationsDir,
      createClient: adapterOnly,
    });
    const { adapter, close } = schemaEnginePgAdapter(databaseUrl, schema);
    try {
      return await diffDatabaseToSchema({ adapter, schemaFiles });
    } finally {
      await close();
      await db.close();
    }
  } finally {
    await dropSchema(databaseUrl, schema);
  }
}

/**
 * Fails, printing the missing SQL, when the subgraph's migrations do not produce its Prisma
 * datamodel. Use it in each subgraph's tests:
 * `it("migrations match schema.prisma", () => expectNoSchemaDrift(subgraphDir))`.
 */
export async function expectNoSchemaDrift(subgraphDir: string, options: SchemaDriftOptions = {}): Promise<void> {
  const diff = await schemaDrift(subgraphDir, options);
  if (diff === "") return;
  const where = options.databaseUrl ? "PostgreSQL" : "PGlite";
  throw new Error(
    `The migrations in ${join(subgraphDir, "prisma", "migrations")} do not produce prisma/schema.prisma + kit.prisma (on ${where}).\n` +
      `This SQL is missing; add it as a migration (npx tsx scripts/migration-new.ts <subgraph> <name>) ` +
      `or fix the schema:\n\n${diff}`,
  );
}

/** The stand-in client for `Database.open`: the diff needs only the adapter a client would use. */
interface AdapterOnly {
  adapter: SqlDriverAdapterFactory;
  $transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  $disconnect(): Promise<void>;
}

function adapterOnly(adapter: SqlDriverAdapterFactory): AdapterOnly {
  return {
    adapter,
    $transaction: () => Promise.reject(new Error("the schema drift check opens no Prisma client")),
    $disconnect: () => Promise.resolve(),
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
