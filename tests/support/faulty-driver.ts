import type { SqlDriver } from "@lotgraph/kit";

/**
 * Wraps a SqlDriver so chosen statements fail, e.g. the relay's "mark published" UPDATE, which
 * reproduces a relay that crashed after publishing and before recording it.
 */
export function failingDriver(inner: SqlDriver, shouldFail: (sql: string) => boolean): SqlDriver {
  return {
    async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
      if (shouldFail(sql)) throw new Error(`injected failure: ${sql.trim().split("\n")[0]}`);
      return inner.query<T>(sql, params);
    },
    exec: (sql) => inner.exec(sql),
    transaction: (fn) => inner.transaction(fn),
    close: () => inner.close(),
  };
}
