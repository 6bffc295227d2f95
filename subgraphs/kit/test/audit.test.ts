/**
 * The hash-chained audit log (DESIGN.md §4.6) on every database target: PGlite always;
 * PostgreSQL only when DATABASE_URL is set (skipped otherwise, there being no server). Each test
 * works in a fresh database of its own (a new schema on PostgreSQL, all dropped in afterAll).
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import {
  appendAudit,
  appendAuditBatch,
  auditTrail,
  verifyAuditChain,
  type AuditEntryInput,
} from "../src/audit/audit.ts";
import { writeOutboxEvents } from "../src/outbox/outbox.ts";
import { kitTestTargets, type KitTestStore } from "../src/testing/sql-executor.ts";

const targets = kitTestTargets("kit_audit");
afterAll(() => Promise.all(targets.map((t) => t.dispose())));

const actor = { id: "user-1", name: "Alice" };
function entry(entityId: string, extra: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    actor,
    action: "lot.received",
    entityType: "Lot",
    entityId,
    reason: "delivery",
    before: null,
    after: { quantity: "12.500000", status: "AVAILABLE", nested: { b: 1, a: [1, "x"] } },
    ...extra,
  };
}

async function appendMany(db: KitTestStore, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await db.transaction((tx) => appendAudit(tx, entry(`lot-${i}`)));
}

/** Inserts a row behind appendAudit's back, as someone with table access could. */
async function forge(db: KitTestStore, seq: number, prevHash: string, hash: string): Promise<void> {
  await db.driver.query(
    `INSERT INTO audit_log (seq, id, at, actor_id, actor_name, action, entity_type, entity_id, prev_hash, hash)
     VALUES ($1, $2::uuid, now(), 'mallory', 'Mallory', 'lot.scrapped', 'Lot', 'lot-x', $3, $4)`,
    [seq, randomUUID(), prevHash, hash],
  );
}

describe.each(targets)("audit log on $name", (target) => {
  it("keeps nothing of an entry whose transaction rolled back", async () => {
    const db = await target.open();
    await db.transaction((tx) => appendAudit(tx, entry("lot-1")));
    await expect(
      db.transaction(async (tx) => {
        await appendAudit(tx, entry("lot-2"));
        throw new Error("business rule failed after the audit entry");
      }),
    ).rejects.toThrow(/business rule failed/);
    const third = await db.transaction((tx) => appendAudit(tx, entry("lot-3")));

    expect(third.seq).toBe(2);
    expect(await auditTrail(db.driver, "Lot", "lot-2")).toEqual([]);
    await expect(verifyAuditChain(db.driver)).resolves.toEqual({ ok: true, entries: 2 });
  });

  it("chains entries so that the verifier accepts them, and reads them back as written", async () => {
    const db = await target.open();
    const first = await db.transaction((tx) => appendAudit(tx, entry("lot-1")));
    const second = await db.transaction((tx) =>
      appendAudit(tx, entry("lot-1", { action: "lot.held", reason: null, before: { s: "A" }, after: { s: "H" } })),
    );
    expect(first).toMatchObject({ seq: 1, prevHash: "0".repeat(64) });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);

    const trail = await auditTrail(db.driver, "Lot", "lot-1");
    expect(trail.map((e) => [e.seq, e.action, e.reason, e.hash])).toEqual([
      [1, "lot.received", "delivery", first.hash],
      [2, "lot.held", null, second.hash],
    ]);
    expect(trail[0]?.after).toEqual(entry("lot-1").after);
    expect(trail[0]?.at.getTime()).toBe(first.at.getTime());
    await expect(verifyAuditChain(db.driver)).resolves.toEqual({ ok: true, entries: 2 });
  });

  it("forms one valid chain from 50 concurrent appends in separate transactions", async () => {
    const db = await target.open();
    const replica = db.connectAgain();
    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? db : replica).transaction((tx) => appendAudit(tx, entry(`lot-${i}`))),
      ),
    );
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Verified a page at a time, so paging is exercised too.
    await expect(verifyAuditChain(db.driver, 7)).resolves.toEqual({ ok: true, entries: 50 });
  });

  it("is refused UPDATE, DELETE and TRUNCATE by the database itself", async () => {
    const db = await target.open();
    await appendMany(db, 2);
    await expect(db.driver.query("UPDATE audit_log SET reason = 'rewritten' WHERE seq = 1")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.driver.query("DELETE FROM audit_log WHERE seq = 2")).rejects.toThrow(/append-only/);
    await expect(db.driver.query("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
    const rows = await db.driver.query<{ seq: string; reason: string }>(
      "SELECT seq::text, reason FROM audit_log ORDER BY seq",
    );
    expect(rows).toEqual([
      { seq: "1", reason: "delivery" },
      { seq: "2", reason: "delivery" },
    ]);
  });

  it("detects a forged entry whose hash does not match its content, at its seq", async () => {
    const db = await target.open();
    await appendMany(db, 3);
    const [last] = await db.driver.query<{ hash: string }>("SELECT hash FROM audit_log WHERE seq = 3");
    await forge(db, 4, last?.hash ?? "", "f".repeat(64));
    await db.transaction((tx) => appendAudit(tx, entry("lot-5")));

    await expect(verifyAuditChain(db.driver)).resolves.toEqual({
      ok: false,
      entries: 3,
      brokenAt: { seq: 4, reason: "content does not match its hash" },
    });
  });

  it("detects an entry that does not link to its predecessor, at its seq", async () => {
    const db = await target.open();
    await appendMany(db, 2);
    await forge(db, 3, "a".repeat(64), "b".repeat(64));

    await expect(verifyAuditChain(db.driver)).resolves.toEqual({
      ok: false,
      entries: 2,
      brokenAt: { seq: 3, reason: "link to the previous entry does not match" },
    });
  });

  it("detects a gap in the sequence", async () => {
    const db = await target.open();
    await appendMany(db, 2);
    const [last] = await db.driver.query<{ hash: string }>("SELECT hash FROM audit_log WHERE seq = 2");
    await forge(db, 4, last?.hash ?? "", "c".repeat(64));

    await expect(verifyAuditChain(db.driver)).resolves.toMatchObject({
      ok: false,
      brokenAt: { seq: 4, reason: "entry 3 is missing" },
    });
  });
  it("chains a batch of entries as one append each would, between single appends", async () => {
    const db = await target.open();
    await db.transaction((tx) => appendAudit(tx, entry("lot-1")));
    const batch = await db.transaction((tx) =>
      appendAuditBatch(tx, [
        entry("lot-2"),
        entry("lot-3", { before: { quantity: "1" }, reason: null }),
        entry("lot-4"),
      ]),
    );
    await db.transaction((tx) => appendAudit(tx, entry("lot-5")));
    expect(batch.map((e) => e.seq)).toEqual([2, 3, 4]);
    const [third] = await auditTrail(db.driver, "Lot", "lot-3");
    expect(third).toMatchObject({ seq: 3, reason: null, before: { quantity: "1" }, hash: batch[1]!.hash });
    await expect(verifyAuditChain(db.driver)).resolves.toEqual({ ok: true, entries: 5 });
  });

  it("writes a batch of outbox events in the order given", async () => {
    const db = await target.open();
    const events = [3, 1, 2].map((n) => ({
      subject: "test.batch",
      entityType: "Lot",
      entityId: `lot-${n}`,
      payload: { n },
    }));
    await db.transaction((tx) => writeOutboxEvents(tx, events));
    const rows = await db.driver.query<{ entity_id: string; payload: { n: number } }>(
      "SELECT entity_id, payload FROM outbox WHERE subject = 'test.batch' ORDER BY seq",
    );
    expect(rows.map((r) => [r.entity_id, r.payload.n])).toEqual([
      ["lot-3", 3],
      ["lot-1", 1],
      ["lot-2", 2],
    ]);
  });
});
