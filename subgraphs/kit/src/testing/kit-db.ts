import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { openPGliteCluster } from "../db/pglite-cluster.ts";
import { migrate, readMigrations } from "../db/migrate.ts";
import { pgliteDriver } from "../db/pglite-driver.ts";
import type { SqlDriver, SqlExecutor } from "../db/sql.ts";

const KIT_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations");

/**
 * An in-memory PGlite holding only the kit's tables (outbox, processed_event, …) plus whatever
 * `extraSql` creates: enough for outbox, relay and projection tests without a Prisma client.
 */
export interface KitTestDatabase {
  /** Raw driver, e.g. for the OutboxRelay. */
  readonly driver: SqlDriver;
  /** Runs `fn` in one transaction through the SqlExecutor surface the kit's helpers take. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens a fresh in-memory database with the kit's migrations applied. */
export async function openKitTestDatabase(extraSql?: string): Promise<KitTestDatabase> {
  const { engine: pglite } = await openPGliteCluster();
  const driver = pgliteDriver(pglite);
  await migrate(driver, await readMigrations(KIT_MIGRATIONS, "kit/"));
  if (extraSql) await pglite.exec(extraSql);
  return {
    driver,
    transaction: (fn) => pglite.transaction((tx) => fn(pgliteExecutor(tx))),
    close: () => driver.close(),
  };
}

/** The SqlExecutor surface (what a Prisma transaction client offers) over PGlite. */
export function pgliteExecutor(conn: PGlite | Transaction): SqlExecutor {
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      const result = await conn.query(query, values);
      // Unchecked by design, exactly like Prisma's $queryRawUnsafe: the caller names the row type.
      return result.rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      const result = await conn.query(query, values);
      return result.affectedRows ?? 0;
    },
  };
}
