import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { SqlDriver } from "./sql.ts";

type PGliteLike = Pick<PGlite, "query" | "exec"> & Partial<Pick<PGlite, "transaction" | "close">>;

/** SqlDriver over an embedded PGlite instance (one per subgraph in embedded mode). */
export function pgliteDriver(db: PGlite): SqlDriver {
  return wrap(db, db);
}

function wrap(root: PGlite, conn: PGliteLike | Transaction): SqlDriver {
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
