import { PGlite, type QueryOptions, type Transaction } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchedPGlite } from "./batched-pglite.ts";

const SCHEMA = `
  CREATE TABLE item (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    n integer,
    big bigint,
    qty numeric(18, 6),
    ok boolean,
    doc jsonb,
    at timestamptz,
    day date,
    tags text[],
    raw bytea
  );
  INSERT INTO item VALUES
    ('00000000-0000-4000-8000-000000000001', 'A-1', 1, 9007199254740993, '12.500000', true,
     '{"a": [1, 2]}', '2026-11-22T10:00:00Z', '2026-11-22', '{x,y}', '\\x0102'),
    ('00000000-0000-4000-8000-000000000002', 'B-2', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`;

/** Statements and parameters of every kind the subgraphs send, each run on both instances. */
const CASES: Array<{ name: string; sql: string; params?: unknown[]; options?: QueryOptions }> = [
  { name: "no parameters", sql: "SELECT * FROM item ORDER BY code" },
  {
    name: "a uuid key",
    sql: "SELECT code, n FROM item WHERE id = $1",
    params: ["00000000-0000-4000-8000-000000000001"],
  },
  {
    name: "rows as arrays, as Prisma reads",
    sql: "SELECT * FROM item WHERE code = $1",
    params: ["A-1"],
    options: { rowMode: "array" },
  },
  {
    name: "custom parsers",
    sql: "SELECT qty, at FROM item WHERE code = $1",
    params: ["A-1"],
    options: { parsers: { 1700: (v) => `n:${v}`, 1184: (v) => `t:${v}` } },
  },
  {
    name: "numbers, booleans and null",
    sql: "SELECT $1::int + 1 AS n, $2::numeric * 2 AS q, $3::boolean AS b, $4::text IS NULL AS missing",
    params: [41, 1.25, false, null],
  },
  { name: "a bigint", sql: "SELECT big FROM item WHERE big = $1", params: [9007199254740993n] },
  {
    name: "a number for a timestamp (PGlite's serializer makes it a date)",
    sql: "SELECT $1::timestamptz AS at",
    params: [Date.UTC(2026, 10, 22)],
  },
  { name: "a Date", sql: "SELECT code FROM item WHERE at = $1", params: [new Date("2026-11-22T10:00:00Z")] },
  {
    name: "an object for jsonb",
    sql: "SELECT doc @> $1 AS contains FROM item WHERE code = 'A-1'",
    params: [{ a: [1] }],
  },
  { name: "a string for jsonb", sql: "SELECT $1::jsonb AS doc", params: ['{"b": true}'] },
  {
    name: "an array",
    sql: "SELECT code FROM item WHERE code = ANY($1) ORDER BY code",
    params: [["A-1", "B-2", "C-3"]],
  },
  { name: "bytes", sql: "SELECT raw = $1 AS same FROM item WHERE code = 'A-1'", params: [new Uint8Array([1, 2])] },
  { name: "a write without rows", sql: "UPDATE item SET n = n WHERE code = $1", params: ["A-1"] },
  { name: "a write returning rows", sql: "UPDATE item SET n = n WHERE n IS NOT NULL RETURNING code", params: [] },
];

let batched: BatchedPGlite;
let plain: PGlite;

beforeAll(async () => {
  [batched, plain] = [new BatchedPGlite(), new PGlite()];
  for (const db of [batched, plain]) await db.exec(SCHEMA);
});
afterAll(async () => {
  await batched.close();
  await plain.close();
});

describe("BatchedPGlite", () => {
  it.each(CASES)("answers as PGlite does, the first time and once it knows the statement: $name", async (c) => {
    const expected = await plain.query(c.sql, c.params, c.options);
    expect(await batched.query(c.sql, c.params, c.options)).toEqual(expected);
    expect(await batched.query(c.sql, c.params, c.options)).toEqual(expected);
  });

  it("fails as PGlite does, with the statement on the error, and is ready for the next query", async () => {
    const failures = [
      { sql: "SELEC 1", params: [] }, // the Parse fails
      { sql: "SELECT $1::int AS n", params: ["not a number"] }, // the Bind fails
      { sql: "INSERT INTO item (id, code) VALUES ($1, $2)", params: ["00000000-0000-4000-8000-000000000003", "A-1"] },
    ];
    for (const failure of failures) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const mine = await batched.query(failure.sql, failure.params).catch((error: unknown) => error);
        const theirs = await plain.query(failure.sql, failure.params).catch((error: unknown) => error);
        expect(mine).toBeInstanceOf(Error);
        expect(mine).toMatchObject({
          ...pick(theirs, ["message", "code", "detail", "constraint", "table"]),
          query: failure.sql,
          params: failure.params,
        });
        expect((await batched.query("SELECT count(*)::int AS n FROM item")).rows).toEqual([{ n: 2 }]);
      }
    }
  });

  it.each(CASES)("answers as PGlite does inside a transaction: $name", async (c) => {
    const expected = await plain.transaction((tx) => tx.query(c.sql, c.params, c.options));
    expect(await batched.transaction((tx) => tx.query(c.sql, c.params, c.options))).toEqual(expected);
  });

  it("keeps a transaction's writes together: committed when it ends, rolled back when it fails", async () => {
    const count = async () => (await batched.query<{ n: number }>("SELECT count(*)::int AS n FROM item")).rows[0]!.n;
    const before = await count();
    const insert = "INSERT INTO item (id, code) VALUES ($1, $2)";
    await batched.transaction(async (tx) => {
      await tx.query(insert, ["00000000-0000-4000-8000-000000000010", "T-1"]);
      expect((await tx.query("SELECT code FROM item WHERE code = $1", ["T-1"])).rows).toEqual([{ code: "T-1" }]);
    });
    expect(await count()).toBe(before + 1);

    const failed = batched.transaction(async (tx) => {
      await tx.query(insert, ["00000000-0000-4000-8000-000000000011", "T-2"]);
      await tx.query(insert, ["00000000-0000-4000-8000-000000000012", "T-1"]); // duplicate code
    });
    await expect(failed).rejects.toMatchObject({ code: "23505", query: insert });
    expect(await count()).toBe(before + 1); // T-2 went with it

    let kept: Transaction | null = null;
    await batched.transaction(async (tx) => {
      kept = tx;
      await tx.query(insert, ["00000000-0000-4000-8000-000000000013", "T-3"]);
      await tx.rollback();
    });
    expect(await count()).toBe(before + 1);
    await expect(kept!.query("SELECT 1")).rejects.toThrow("Transaction is closed");
    await batched.query("DELETE FROM item WHERE code LIKE 'T-%'");
  });

  it("runs a transaction in one call into the engine per statement, BEGIN and COMMIT included", async () => {
    const calls = countCalls(batched);
    await batched.transaction(async (tx) => {
      await tx.query("SELECT code FROM item WHERE code = $1", ["A-1"]);
      await tx.exec("SELECT 1; SELECT 2");
    });
    // BEGIN, the statement (its parameter types already known from the cases above), exec, COMMIT.
    expect(calls.stop()).toBe(4);
  });

  it("sets a schema's search_path with BEGIN, and only when it points elsewhere", async () => {
    await batched.exec("CREATE SCHEMA IF NOT EXISTS other; CREATE TABLE IF NOT EXISTS other.thing (v int)");
    const inOther = () => batched.transactionInSchema("other", (tx) => tx.query("SELECT count(*) FROM thing"));
    await inOther();
    const calls = countCalls(batched);
    await inOther();
    expect(calls.stop()).toBe(3); // BEGIN, the statement, COMMIT: no SET
    // A rollback undoes the SET made in its transaction (back to public, where there is no
    // `thing`): the next transaction in "other" must set the path again.
    await batched.transactionInSchema("public", (tx) => tx.query("SELECT 1"));
    await expect(batched.transactionInSchema("other", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect((await inOther()).rows).toEqual([{ count: 0 }]);
  });

  it("leaves typed parameters to PGlite", async () => {
    const typed = await batched.query("SELECT $1 AS v", ["7"], { paramTypes: [23] });
    expect(typed.rows).toEqual([{ v: 7 }]);
    const inTransaction = await batched.transaction((tx) => tx.query("SELECT $1 AS v", ["7"], { paramTypes: [23] }));
    expect(inTransaction.rows).toEqual([{ v: 7 }]);
  });
});

/** Counts the calls into the engine (each a batch of protocol messages) until `stop`. */
function countCalls(db: PGlite): { stop(): number } {
  const target = db as unknown as { execProtocolRaw: PGlite["execProtocolRaw"] };
  const original = target.execProtocolRaw;
  let calls = 0;
  target.execProtocolRaw = (...args) => {
    calls++;
    return original.apply(db, args);
  };
  return {
    stop: () => {
      target.execProtocolRaw = original;
      return calls;
    },
  };
}

function pick(value: unknown, keys: string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
