import pg from "pg";
import type { SqlDriver } from "./sql.ts";

/** SqlDriver over a node-postgres pool whose connections use the subgraph's schema. */
export function pgDriver(pool: pg.Pool): SqlDriver {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await pool.query(sql, params);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (driver: SqlDriver) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(clientDriver(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function clientDriver(client: pg.PoolClient): SqlDriver {
  const self: SqlDriver = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    transaction: (fn) => fn(self),
    async close() {
      /* the pool owns the connection */
    },
  };
  return self;
}

/** A pool whose every connection starts with `search_path` set to `schema`. */
export function createSchemaPool(connectionString: string, schema: string, max = 10): pg.Pool {
  return new pg.Pool({
    connectionString,
    max,
    options: `-c search_path=${quoteIdent(schema)}`,
  });
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}
