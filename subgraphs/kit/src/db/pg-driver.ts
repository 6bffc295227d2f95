import pg from "pg";
import type { SqlDriver } from "./sql.ts";
import { quoteIdent } from "./sql.ts";

export { quoteIdent };

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
      // A checked-out client has no listener of the pool's: a connection lost now would be an
      // unhandled 'error' event, which ends the process. The query in flight rejects anyway.
      let lost: Error | undefined;
      const onLost = (error: Error) => (lost = error);
      client.on("error", onLost);
      try {
        await client.query("BEGIN");
        const result = await fn(clientDriver(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.removeListener("error", onLost);
        // A client whose connection was lost is destroyed, not handed to the next caller.
        client.release(lost);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function clientDriver(client: pg.PoolClient): SqlDriver {
  // The pool owns the connection: closing this driver leaves it alone.
  return connectionDriver(client, async () => undefined);
}

/**
 * A SqlDriver whose every statement runs on one connection; a "transaction" is that connection
 * itself (the caller is already inside one, or runs its own BEGIN … COMMIT).
 */
function connectionDriver(connection: pg.ClientBase, close: () => Promise<void>): SqlDriver {
  const self: SqlDriver = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await connection.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await connection.query(sql);
    },
    transaction: (fn) => fn(self),
    close,
  };
  return self;
}

/**
 * A pool whose every connection starts with `search_path` set to `schema`. An idle connection
 * that PostgreSQL drops (a restart, a failover, a network cut) is reported to `onIdleError` and
 * removed; the next query opens a new one. Without a listener the pool's 'error' event would end
 * the process.
 */
export function createSchemaPool(
  connectionString: string,
  schema: string,
  max = 10,
  onIdleError: (error: Error) => void = () => undefined,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    options: `-c search_path=${quoteIdent(schema)}`,
    // A query waiting for a connection fails after this instead of waiting forever for a database that is away.
    connectionTimeoutMillis: 5_000,
  });
  pool.on("error", onIdleError);
  return pool;
}

/**
 * One PostgreSQL session as a SqlDriver whose every statement runs on that one connection, so a
 * caller may run its own BEGIN … COMMIT across many statements and schemas (backup and restore:
 * one snapshot, one all-or-nothing load). `close` ends the session.
 */
export async function pgSession(connectionString: string, applicationName: string): Promise<SqlDriver> {
  const client = new pg.Client({ connectionString, application_name: applicationName });
  // An error event outside a query (the server gone) would end the process; the next query fails instead.
  client.on("error", () => undefined);
  await client.connect();
  return connectionDriver(client, () => client.end());
}
