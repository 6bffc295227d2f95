/**
 * The smallest SQL surface the kit needs, satisfied both by a Prisma transaction client
 * (`tx.$queryRawUnsafe`) and by the raw drivers below. Always bind values as `$1, $2, …`.
 */
export interface SqlExecutor {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** A raw connection to one subgraph's database, used by the migration runner and by tests. */
export interface SqlDriver {
  /** Runs a query with bound parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (a migration file). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` inside one transaction on one connection. */
  transaction<T>(fn: (driver: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A schema or table name, double-quoted; anything but lower-case letters, digits and `_` is refused. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}
