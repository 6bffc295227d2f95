import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "../db/sql.ts";
import { inMemoryTracing } from "../testing/in-memory-tracing.ts";
import { inSpan, SpanKind } from "./spans.ts";
import { sqlOperation, tracedSqlDriver } from "./traced-sql.ts";

describe("sqlOperation", () => {
  it("is the statement's first keyword, past comments, space and parentheses", () => {
    expect(sqlOperation("select 1")).toBe("SELECT");
    expect(sqlOperation("  -- why\n  INSERT INTO outbox VALUES ($1)")).toBe("INSERT");
    expect(sqlOperation("/* a */ WITH x AS (SELECT 1) SELECT * FROM x")).toBe("WITH");
    expect(sqlOperation("(SELECT 1) UNION (SELECT 2)")).toBe("SELECT");
    expect(sqlOperation("")).toBe("SQL");
  });
});

describe("tracedSqlDriver", () => {
  let tracing: ReturnType<typeof inMemoryTracing>;
  const statements: string[] = [];
  const fake: SqlDriver = {
    query: async <T>(sql: string) => {
      statements.push(sql);
      if (sql.includes("missing")) throw new Error('relation "missing" does not exist');
      return [] as T[];
    },
    exec: async (sql) => void statements.push(sql),
    transaction: (fn) => fn(fake),
    close: async () => undefined,
  };
  const driver = tracedSqlDriver(fake, "pglite");

  beforeAll(() => {
    tracing = inMemoryTracing();
  });
  afterAll(() => tracing.stop());

  it("makes a client span per statement within a traced operation, with the text and no values", async () => {
    tracing.exporter.reset();
    await inSpan("operation", { kind: SpanKind.SERVER }, async () => {
      await driver.query("SELECT * FROM lot WHERE id = $1", ["secret-id"]);
      await driver.transaction((tx) => tx.query("UPDATE lot SET code = $1", ["secret-code"]));
    });
    const spans = tracing.exporter.getFinishedSpans();
    const operation = spans.find((span) => span.name === "operation")!;
    const sql = spans.filter((span) => span.name !== "operation");
    expect(sql.map((span) => span.name)).toEqual(["SELECT", "UPDATE"]);
    for (const span of sql) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
      expect(span.attributes).toMatchObject({ "db.system": "postgresql", "lotgraph.db.engine": "pglite" });
      expect(JSON.stringify(span.attributes)).not.toMatch(/secret/);
    }
    expect(sql[0]!.attributes["db.statement"]).toBe("SELECT * FROM lot WHERE id = $1");
  });

  it("records a failed statement as an error, and makes no trace of statements outside one", async () => {
    tracing.exporter.reset();
    await driver.query("SELECT 1"); // a relay poll: no operation, no span
    expect(tracing.exporter.getFinishedSpans()).toEqual([]);
    await expect(
      inSpan("operation", { kind: SpanKind.SERVER }, () => driver.query("SELECT * FROM missing")),
    ).rejects.toThrow(/missing/);
    const failed = tracing.exporter.getFinishedSpans().find((span) => span.name === "SELECT")!;
    expect(failed.status.code).toBe(2);
    expect(failed.events.map((event) => event.name)).toContain("exception");
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
