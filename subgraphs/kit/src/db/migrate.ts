import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SqlDriver } from "./sql.ts";

/** A migration read from disk: `<dir>/<id>/migration.sql`, applied in id order. */
export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/** The bookkeeping table; a restore (apps/lotgraph/src/backup) creates it the same way. */
export const MIGRATIONS_TABLE_DDL = `
  CREATE TABLE IF NOT EXISTS _lotgraph_migrations (
    id text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** Same key in every replica: all migrators of one database queue on it. */
const MIGRATION_LOCK_KEY = 0x10761a;

/**
 * Reads the migrations of one directory (Prisma's layout: one folder per migration, holding
 * `migration.sql`), sorted by folder name. `prefix` keeps ids unique when several directories
 * are applied to one database (the kit's own tables, then the subgraph's).
 */
export async function readMigrations(dir: string, prefix = ""): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    folders.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { id: `${prefix}${name}`, sql, checksum: sha256(sql) };
    }),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction together with its bookkeeping
 * row. A transaction-scoped advisory lock serialises replicas that start at the same time; a
 * replica that waited re-reads the bookkeeping and skips what the other one applied. An applied
 * migration whose file has changed since is an error: history is never rewritten silently.
 */
export async function migrate(driver: SqlDriver, migrations: Migration[]): Promise<MigrationReport> {
  // Under the lock as well: two sessions running CREATE TABLE IF NOT EXISTS at once can both
  // pass the existence check, and the second then fails on a duplicate pg_type row.
  const applied = await driver.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.exec(MIGRATIONS_TABLE_DDL);
    return tx.query<{ id: string; checksum: string }>("SELECT id, checksum FROM _lotgraph_migrations");
  });
  // Every start but the first finds everything applied: one transaction checks it all.
  const checksums = new Map(applied.map((row) => [row.id, row.checksum]));
  migrations.forEach((migration) => assertUnchanged(migration, checksums.get(migration.id)));
  if (migrations.every((migration) => checksums.has(migration.id))) {
    return { applied: [], alreadyApplied: migrations.map((migration) => migration.id) };
  }
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    const outcome = await driver.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const [existing] = await tx.query<{ checksum: string }>(
        "SELECT checksum FROM _lotgraph_migrations WHERE id = $1",
        [migration.id],
      );
      if (existing) {
        assertUnchanged(migration, existing.checksum);
        return "already" as const;
      }
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO _lotgraph_migrations (id, checksum) VALUES ($1, $2)", [
        migration.id,
        migration.checksum,
      ]);
      return "applied" as const;
    });
    (outcome === "applied" ? report.applied : report.alreadyApplied).push(migration.id);
  }
  return report;
}

/** An applied migration whose file has changed since is an error: history is never rewritten. */
function assertUnchanged(migration: Migration, appliedChecksum: string | undefined): void {
  if (appliedChecksum === undefined || appliedChecksum === migration.checksum) return;
  throw new Error(
    `migration ${migration.id} was changed after it was applied (checksum ${appliedChecksum} in the database, ${migration.checksum} on disk); add a new migration instead`,
  );
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
