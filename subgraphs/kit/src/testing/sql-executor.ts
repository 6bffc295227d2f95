import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { openPGliteCluster } from "../db/pglite-cluster.ts";
import { migrate, readMigrations } from "../db/migrate.ts";
import { createSchemaPool, pgDriver, quoteIdent } from "../db/pg-driver.ts";
import { pgliteDriver } from "../db/pglite-driver.ts";
import type { SqlDriver, SqlExecutor } from "../db/sql.ts";
import { pgliteExecutor } from "./kit-db.ts";

const KIT_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations");

/**
 * The SqlExecutor surface (what a Prisma transaction client offers) over one node-postgres
 * connection, with the real affected-row count, so the kit's helpers run without Prisma.
 */
export function pgExecutor(client: pg.ClientBase): SqlExecutor {
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      const result = await client.query(query, values);
      // Unchecked by design, exactly like Prisma's $queryRawUnsafe: the caller names the row type.
      return result.rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await client.query(query, values)).rowCount ?? 0;
    },
  };
}

/** One database of the kit's tests: a raw driver plus transactions through the SqlExecutor surface. */
export interface KitTestStore {
  readonly driver: SqlDriver;
  /** Runs `fn` in one transaction; a throw rolls everything back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Another handle on the same database, as a second replica would have: its own pool on
   * PostgreSQL; on PGlite (one connection by nature) the same instance. Closed by `close()` of
   * the store it came from.
   */
  connectAgain(): KitTestStore;
  close(): Promise<void>;
}

export interface KitTestTarget {
  readonly name: "PGlite" | "PostgreSQL";
  /**
   * A fresh, empty database of its own: an in-memory PGlite, or a new schema on PostgreSQL.
   * The kit's tables (outbox, audit_log, …) are created unless `kitMigrations` is false.
   */
  open(options?: { kitMigrations?: boolean }): Promise<KitTestStore>;
  /** Closes what is still open and drops every schema this target created. */
  dispose(): Promise<void>;
}

/**
 * The databases the kit's integration tests run against: PGlite always, PostgreSQL when
 * `databaseUrl` is set. Schemas are named `<label>_<random>_<n>` so parallel test files and runs
 * never meet.
 */
export function kitTestTargets(label: string, databaseUrl = process.env.DATABASE_URL): KitTestTarget[] {
  const targets: KitTestTarget[] = [pgliteTarget()];
  if (databaseUrl) targets.push(postgresTarget(databaseUrl, label));
  return targets;
}

async function applyKitMigrations(driver: SqlDriver, options: { kitMigrations?: boolean } = {}): Promise<void> {
  if (options.kitMigrations === false) return;
  await migrate(driver, await readMigrations(KIT_MIGRATIONS, "kit/"));
}

function pgliteTarget(): KitTestTarget {
  const open = new Set<PGlite>();
  return {
    name: "PGlite",
    async open(options) {
      const { engine: pglite } = await openPGliteCluster();
      open.add(pglite);
      const driver = pgliteDriver(pglite);
      await applyKitMigrations(driver, options);
      const store: KitTestStore = {
        driver,
        transaction: (fn) => pglite.transaction((tx) => fn(pgliteExecutor(tx))),
        connectAgain: () => ({ ...store, close: async () => undefined }),
        async close() {
          open.delete(pglite);
          await driver.close();
        },
      };
      return store;
    },
    async dispose() {
      await Promise.all([...open].map((p) => p.close()));
      open.clear();
    },
  };
}

function postgresTarget(url: string, label: string): KitTestTarget {
  const run = `${label}_${randomBytes(4).toString("hex")}`;
  const schemas: string[] = [];
  const pools = new Set<pg.Pool>();

  /** `family` holds the pools of a store and of its `connectAgain` handles; the root closes them all. */
  function poolStore(schema: string, family: pg.Pool[] | null): KitTestStore {
    const pool = createSchemaPool(url, schema, 8);
    pools.add(pool);
    const owned = family ?? [];
    owned.push(pool);
    const end = async (p: pg.Pool) => {
      if (pools.delete(p)) await p.end();
    };
    const base = pgDriver(pool);
    const driver: SqlDriver = {
      ...base,
      close: () => end(pool),
    };
    return {
      driver,
      async transaction(fn) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await fn(pgExecutor(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      connectAgain: () => poolStore(schema, owned),
      async close() {
        await Promise.all(family ? [end(pool)] : owned.map(end));
      },
    };
  }

  return {
    name: "PostgreSQL",
    async open(options) {
      const schema = `${run}_${schemas.length + 1}`;
      const admin = createSchemaPool(url, "public", 1);
      try {
        await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      } finally {
        await admin.end();
      }
      schemas.push(schema);
      const store = poolStore(schema, null);
      await applyKitMigrations(store.driver, options);
      return store;
    },
    async dispose() {
      await Promise.all([...pools].map((p) => p.end()));
      pools.clear();
      if (schemas.length === 0) return;
      const admin = createSchemaPool(url, "public", 1);
      try {
        for (const schema of schemas.splice(0))
          await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
