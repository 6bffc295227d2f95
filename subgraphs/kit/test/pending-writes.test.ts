/**
 * The pending-write journal (decision 0012) on every database target: PGlite always; PostgreSQL
 * when DATABASE_URL is set. A write journalled before its peer call is completed once, whoever
 * completes it; a refusal abandons it; anything else leaves it for recovery, which completes it
 * in the caller's name and backs off while it cannot.
 */
import { afterAll, describe, expect, it } from "vitest";
import { withIdempotency } from "../src/db/idempotency.ts";
import {
  beginPendingWrite,
  completePendingWrite,
  runPendingWrite,
  startPendingWriteRecovery,
  type JournalDatabase,
  type PendingWrite,
} from "../src/db/pending-writes.ts";
import type { SqlExecutor } from "../src/db/sql.ts";
import { DomainError } from "../src/errors.ts";
import { createLogger } from "../src/logger.ts";
import { kitTestTargets, type KitTestStore } from "../src/testing/sql-executor.ts";

const targets = kitTestTargets("kit_pending");
afterAll(() => Promise.all(targets.map((t) => t.dispose())));

const logger = createLogger("silent", "pending-writes-test");

/** The journal's view of a test store: each statement in its own transaction, as a pool would run it. */
function journalOf(db: KitTestStore): JournalDatabase {
  return {
    client: {
      $queryRawUnsafe: <T>(query: string, ...values: unknown[]) =>
        db.transaction(async (tx) => tx.$queryRawUnsafe<T>(query, ...values)),
      $executeRawUnsafe: (query: string, ...values: unknown[]) =>
        db.transaction(async (tx) => tx.$executeRawUnsafe(query, ...values)),
    },
  };
}

async function open(target: (typeof targets)[number]): Promise<KitTestStore> {
  const db = await target.open();
  await db.driver.exec("CREATE TABLE hold_record (id serial PRIMARY KEY, lot text NOT NULL)");
  return db;
}

async function recordHold(tx: SqlExecutor, lot: string): Promise<{ holdId: number; lot: string }> {
  const [row] = await tx.$queryRawUnsafe<Array<{ id: number }>>(
    "INSERT INTO hold_record (lot) VALUES ($1) RETURNING id",
    lot,
  );
  return { holdId: row!.id, lot };
}

async function count(db: KitTestStore, sql: string): Promise<number> {
  const [row] = await db.driver.query<{ n: number }>(sql);
  return row!.n;
}

async function journalRow(db: KitTestStore, id: string) {
  const [row] = await db.driver.query<{
    outcome: string | null;
    completed: boolean;
    attempts: number;
    due_in_seconds: number;
  }>(
    `SELECT outcome, completed_at IS NOT NULL AS completed, attempts,
            extract(epoch FROM next_attempt_at - now())::float8 AS due_in_seconds
     FROM pending_write WHERE id = $1::uuid`,
    [id],
  );
  return row!;
}

/** Makes a journalled write due now, as if its grace had passed. */
const makeDue = (db: KitTestStore, id: string) =>
  db.driver.query("UPDATE pending_write SET next_attempt_at = now() - interval '1 second' WHERE id = $1::uuid", [id]);

describe.each(targets)("the pending-write journal on $name", (target) => {
  it("completes a write once when its request and recovery complete it at the same time", async () => {
    const db = await open(target);
    const write = await beginPendingWrite(journalOf(db), "placeHold", "user-1", { lot: "L-1" });
    let records = 0;
    const complete = () =>
      db.connectAgain().transaction((tx) =>
        completePendingWrite(tx, write.id, () => {
          records++;
          return recordHold(tx, "L-1");
        }),
      );
    const [first, second] = await Promise.all([complete(), complete()]);
    expect(second).toEqual(first);
    expect(records).toBe(1);
    expect(await count(db, "SELECT count(*)::int AS n FROM hold_record")).toBe(1);
    expect(await journalRow(db, write.id)).toMatchObject({ outcome: "completed", completed: true });
  });

  it("abandons a write a rule refuses, and keeps one whose outcome is unknown for recovery", async () => {
    const db = await open(target);
    const journal = journalOf(db);
    const refused = await beginPendingWrite(journal, "placeHold", "user-1", { lot: "L-2" });
    await expect(
      runPendingWrite(journal, refused.id, async () => {
        throw new DomainError("LOT_UNAVAILABLE", "lot L-2 is shipped");
      }),
    ).rejects.toMatchObject({ code: "LOT_UNAVAILABLE" });
    expect(await journalRow(db, refused.id)).toMatchObject({ outcome: "abandoned", completed: true });

    for (const outage of [new DomainError("SERVICE_UNAVAILABLE", "inventory is away"), new Error("socket hang up")]) {
      const unknown = await beginPendingWrite(journal, "placeHold", "user-1", { lot: "L-3" });
      await expect(runPendingWrite(journal, unknown.id, () => Promise.reject(outage))).rejects.toBe(outage);
      const row = await journalRow(db, unknown.id);
      expect(row).toMatchObject({ outcome: null, completed: false, attempts: 0 });
      // Not before its grace: the request that began it may still be running.
      expect(row.due_in_seconds).toBeGreaterThan(10);
    }
  });

  it("recovery completes a due write in its caller's name, backs off while it fails, and abandons what a rule refuses", async () => {
    const db = await open(target);
    const journal = journalOf(db);
    let inventoryAway = true;
    const completed: Array<{ lot: string }> = [];
    const recovery = startPendingWriteRecovery({
      db: journal,
      logger,
      intervalMs: 60_000,
      handlers: {
        placeHold: async (write: PendingWrite) => {
          const { lot } = write.payload as { lot: string };
          if (inventoryAway) throw new DomainError("SERVICE_UNAVAILABLE", "inventory is away");
          if (lot === "L-refused") throw new DomainError("NOT_FOUND", "no such lot");
          return db.transaction((tx) =>
            completePendingWrite(tx, write.id, () =>
              withIdempotency(tx, "placeHold", "client-key", { lot }, async () => {
                completed.push({ lot });
                return recordHold(tx, lot);
              }),
            ),
          );
        },
      },
    });
    try {
      const write = await beginPendingWrite(journal, "placeHold", "user-7", { lot: "L-4" });
      const refused = await beginPendingWrite(journal, "placeHold", "user-7", { lot: "L-refused" });
      expect(await recovery.runOnce(), "nothing is due within its grace").toBe(0);

      await makeDue(db, write.id);
      expect(await recovery.runOnce()).toBe(0);
      const failed = await journalRow(db, write.id);
      expect(failed).toMatchObject({ completed: false, attempts: 1 });
      expect(failed.due_in_seconds, "backs off before the next attempt").toBeGreaterThan(3);

      inventoryAway = false;
      await makeDue(db, write.id);
      await makeDue(db, refused.id);
      expect(await recovery.runOnce()).toBe(1);
      expect(completed).toEqual([{ lot: "L-4" }]);
      expect(await journalRow(db, write.id)).toMatchObject({ outcome: "completed", attempts: 2 });
      expect(await journalRow(db, refused.id)).toMatchObject({ outcome: "abandoned", completed: true });
      // The idempotency key it used is the caller's own, as in the request it completes.
      const [key] = await db.driver.query<{ key: string }>("SELECT key FROM idempotency_key");
      expect(key!.key).toBe("user-7\u001fclient-key");

      await makeDue(db, write.id);
      expect(await recovery.runOnce(), "a completed write is never run again").toBe(0);
    } finally {
      await recovery.stop();
    }
  });
});
