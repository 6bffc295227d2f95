import type { Transaction } from "@electric-sql/pglite";
import type { PGliteConnection } from "./shared-pglite.ts";
import type { SqlDriver } from "./sql.ts";

/** SqlDriver over embedded PGlite: a whole instance (tests) or one subgraph's schema of the shared engine. */
export function pgliteDriver(db: PGliteConnection): SqlDriver {
  return wrap(db, db);
}

function wrap(root: PGliteConnection, conn: PGliteConnection | Transaction): SqlDriver {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await conn.query<T>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
    async transaction<T>(fn: (driver: SqlDriver) => Promise<T>): Promise<T> {
      if (conn !== root) return fn(wrap(root, conn)); // already inside one
      return root.transaction((tx) => fn(wrap(root, tx)));
    },
    async close() {
      if (conn === root && !root.closed) await root.close();
    },
  };
}
