/**
 * Idempotency keys (DESIGN.md §5) on every database target: PGlite always; PostgreSQL only when
 * DATABASE_URL is set (skipped otherwise, there being no server). Each test works in a fresh
 * database of its own (a new schema on PostgreSQL, all dropped in afterAll).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { withIdempotency } from "../src/db/idempotency.ts";
import type { SqlExecutor } from "../src/db/sql.ts";
import { DomainError } from "../src/errors.ts";
import { kitTestTargets, type KitTestStore } from "../src/testing/sql-executor.ts";

const targets = kitTestTargets("kit_idem");
afterAll(() => Promise.all(targets.map((t) => t.dispose())));

const SETUP = "CREATE TABLE receipt (id serial PRIMARY KEY, code text NOT NULL)";

/** A mutation's body: writes one row and returns a payload built from it. */
async function receive(tx: SqlExecutor, code: string): Promise<{ receiptId: number; code: string }> {
  const [row] = await tx.$queryRawUnsafe<Array<{ id: number }>>(
    "INSERT INTO receipt (code) VALUES ($1) RETURNING id",
    code,
  );
  return { receiptId: row?.id ?? -1, code };
}

async function receipts(db: KitTestStore): Promise<number> {
  const [row] = await db.driver.query<{ n: number }>("SELECT count(*)::int AS n FROM receipt");
  return row?.n ?? -1;
}

async function open(target: (typeof targets)[number]): Promise<KitTestStore> {
  const db = await target.open();
  await db.driver.exec(SETUP);
  return db;
}

describe.each(targets)("withIdempotency on $name", (target) => {
  it("returns the first result for the same key and input, without running fn again", async () => {
    const db = await open(target);
    let runs = 0;
    const call = () =>
      db.transaction((tx) =>
        withIdempotency(tx, "receiveLot", "key-1", { code: "L-1", quantity: "5" }, () => {
          runs++;
          return receive(tx, "L-1");
        }),
      );
    const first = await call();
    const second = await call();
    expect(second).toEqual(first);
    expect(runs).toBe(1);
    expect(await receipts(db)).toBe(1);
  });

  it("refuses the same key with a different input as CONFLICT, changing nothing", async () => {
    const db = await open(target);
    await db.transaction((tx) => withIdempotency(tx, "receiveLot", "key-1", { code: "L-1" }, () => receive(tx, "L-1")));
    const attempt = db.transaction((tx) =>
      withIdempotency(tx, "receiveLot", "key-1", { code: "L-2" }, () => receive(tx, "L-2")),
    );
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await receipts(db)).toBe(1);
  });

  it("keeps keys apart per scope, and runs fn every time without a key", async () => {
    const db = await open(target);
    await db.transaction((tx) => withIdempotency(tx, "receiveLot", "k", { code: "A" }, () => receive(tx, "A")));
    await db.transaction((tx) => withIdempotency(tx, "shipLot", "k", { code: "B" }, () => receive(tx, "B")));
    await db.transaction((tx) => withIdempotency(tx, "receiveLot", null, { code: "C" }, () => receive(tx, "C")));
    await db.transaction((tx) => withIdempotency(tx, "receiveLot", undefined, { code: "C" }, () => receive(tx, "C")));
    expect(await receipts(db)).toBe(4);
  });

  it("forgets the key when the first call's transaction rolled back", async () => {
    const db = await open(target);
    await expect(
      db.transaction(async (tx) => {
        await withIdempotency(tx, "receiveLot", "key-1", { code: "L-1" }, () => receive(tx, "L-1"));
        throw new Error("later step failed");
      }),
    ).rejects.toThrow(/later step failed/);
    const retried = await db.transaction((tx) =>
      withIdempotency(tx, "receiveLot", "key-1", { code: "L-1" }, () => receive(tx, "L-1")),
    );
    expect(retried.code).toBe("L-1");
    expect(await receipts(db)).toBe(1);
  });

  it("runs fn once when concurrent calls share one key", async () => {
    const db = await open(target);
    const replica = db.connectAgain();
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? db : replica).transaction((tx) =>
          withIdempotency(tx, "receiveLot", "retry-storm", { code: "L-9" }, async () => {
            runs++;
            // Long enough for the other calls to arrive while this one is still uncommitted.
            await sleep(50);
            return receive(tx, "L-9");
          }),
        ),
      ),
    );
    expect(runs).toBe(1);
    // Compared as values: jsonb returns the stored payload with its keys in its own order.
    for (const result of results) expect(result).toEqual(results[0]);
    expect(await receipts(db)).toBe(1);
  });
});
