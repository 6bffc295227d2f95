import type { SqlDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import type { SqlDriver } from "../db/sql.ts";
import { inChildSpan, SpanKind } from "./spans.ts";

/** Which engine runs the statements: both speak PostgreSQL's SQL (db.system "postgresql"). */
export type SqlEngine = "pg" | "pglite";

/** Statement text is kept to this many characters: enough to recognise it, bounded in size. */
const STATEMENT_LIMIT = 2_000;

/**
 * The statement's operation (`SELECT`, `INSERT`, `WITH`, ...): its first keyword after comments.
 * Parameters are always bound (`$1`), so the text itself carries no values.
 */
export function sqlOperation(sql: string): string {
  const text = sql.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()+/, "");
  const word = /^[A-Za-z]+/.exec(text)?.[0];
  return word ? word.toUpperCase() : "SQL";
}

/** Runs one statement inside a client span, when it is part of a traced operation. */
export function sqlSpan<T>(engine: SqlEngine, sql: string, run: () => Promise<T>): Promise<T> {
  const operation = sqlOperation(sql);
  return inChildSpan(
    operation,
    {
      kind: SpanKind.CLIENT,
      attributes: () => ({
        "db.system": "postgresql",
        "db.operation": operation,
        "db.statement": sql.length > STATEMENT_LIMIT ? `${sql.slice(0, STATEMENT_LIMIT)}…` : sql,
        "lotgraph.db.engine": engine,
      }),
    },
    run,
  );
}

/** A raw SqlDriver whose statements are spans (the outbox, audit and change-feed SQL). */
export function tracedSqlDriver(driver: SqlDriver, engine: SqlEngine): SqlDriver {
  return {
    query: (sql, params) => sqlSpan(engine, sql, () => driver.query(sql, params)),
    exec: (sql) => sqlSpan(engine, sql, () => driver.exec(sql)),
    transaction: (fn) => driver.transaction((inner) => fn(tracedSqlDriver(inner, engine))),
    close: () => driver.close(),
  };
}

/**
 * A Prisma driver adapter factory whose connections (and their transactions) run each statement
 * in a span. Proxies, not subclasses: the adapters are two libraries' classes with private state,
 * and everything but the statements passes through untouched.
 */
export function tracedAdapterFactory<F extends SqlDriverAdapterFactory>(factory: F, engine: SqlEngine): F {
  return new Proxy(factory, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === "connect" && typeof value === "function")
        return async () => tracedQueryable(await (value as () => Promise<object>).call(target), engine);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function tracedQueryable<T extends object>(queryable: T, engine: SqlEngine): T {
  return new Proxy(queryable, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (key === "queryRaw" || key === "executeRaw")
        return (query: SqlQuery) => sqlSpan(engine, query.sql, () => method.call(target, query));
      if (key === "startTransaction")
        return async (...args: unknown[]) => tracedQueryable((await method.apply(target, args)) as object, engine);
      return method.bind(target);
    },
  });
}
