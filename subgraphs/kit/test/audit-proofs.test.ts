/**
 * Audit evidence (docs/evidence-bundle.md) read from a real log on every database target: the
 * proved entries carry exactly what their hash is computed from, and their paths lead to the root
 * of the whole chain, as an offline verifier recomputes them.
 */
import { afterAll, describe, expect, it } from "vitest";
import { appendAudit, appendAuditBatch, type AuditEntryInput } from "../src/audit/audit.ts";
import { readAuditEvidence } from "../src/audit/audit-proofs.ts";
import { auditEntryHash } from "../src/audit/entry-hash.ts";
import { EMPTY_MERKLE_ROOT, MerkleTree, verifyInclusion } from "../src/audit/merkle.ts";
import { DomainError } from "../src/errors.ts";
import { kitTestTargets } from "../src/testing/sql-executor.ts";

const targets = kitTestTargets("kit_audit_proofs");
afterAll(() => Promise.all(targets.map((t) => t.dispose())));

const actor = { id: "user-1", name: "Alice" };
const entry = (entityType: string, entityId: string, i: number): AuditEntryInput => ({
  actor,
  action: "thing.changed",
  entityType,
  entityId,
  reason: i % 2 ? "because" : null,
  before: i % 3 ? null : { n: i - 1, nested: { z: 1, a: [2.5, "x"] } },
  after: { n: i, quantity: "12.500000", at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) },
});

describe.each(targets)("audit evidence on $name", (target) => {
  it("proves the entries asked for, by entity and by seq, in the tree of the whole chain", async () => {
    const db = await target.open();
    const inputs = Array.from({ length: 37 }, (_, i) =>
      entry(i % 4 === 0 ? "Hold" : "Lot", i % 4 === 0 ? `hold-${i % 8}` : `lot-${i % 5}`, i),
    );
    const written = await db.transaction((tx) => appendAuditBatch(tx, inputs.slice(0, 30)));
    for (const input of inputs.slice(30)) written.push(await db.transaction((tx) => appendAudit(tx, input)));

    const evidence = await readAuditEvidence(db.driver, {
      entities: [
        { entityType: "Hold", entityId: "hold-0" },
        { entityType: "Lot", entityId: "lot-3" },
        // Another type with the same id matches nothing.
        { entityType: "Lot", entityId: "hold-4" },
      ],
      seqs: [2, 37],
    });

    const expectedSeqs = written
      .filter(
        (e) =>
          (e.entityType === "Hold" && e.entityId === "hold-0") ||
          (e.entityType === "Lot" && e.entityId === "lot-3") ||
          e.seq === 2 ||
          e.seq === 37,
      )
      .map((e) => e.seq);
    expect(evidence.entries.map((e) => e.seq)).toEqual(expectedSeqs);
    const tree = MerkleTree.of(written.map((e) => e.hash));
    expect(evidence.chain).toEqual({
      length: 37,
      headHash: written[36]!.hash,
      merkleRoot: tree.root,
      headPath: tree.path(36),
    });
    for (const proved of evidence.entries) {
      // What the bundle carries is what was hashed: recomputing gives the stored hash.
      expect(auditEntryHash(proved)).toBe(proved.hash);
      expect(proved.hash).toBe(written[proved.seq - 1]!.hash);
      expect(
        verifyInclusion({
          entryHash: proved.hash,
          index: proved.seq - 1,
          size: 37,
          path: proved.path,
          root: evidence.chain.merkleRoot,
        }),
      ).toBe(true);
    }
    // JSON values come back as stored: dates as strings, numbers as numbers.
    const third = evidence.entries.find((e) => e.seq === 37)!;
    expect(third.after).toEqual({ n: 36, quantity: "12.500000", at: "2026-01-01T00:00:36.000Z" });
  });

  it("answers an empty chain with the empty root, and nothing asked with no entries", async () => {
    const db = await target.open();
    expect(await readAuditEvidence(db.driver, { entities: [{ entityType: "Lot", entityId: "x" }], seqs: [1] })).toEqual(
      {
        chain: { length: 0, headHash: null, merkleRoot: EMPTY_MERKLE_ROOT, headPath: [] },
        entries: [],
      },
    );
    await db.transaction((tx) => appendAudit(tx, entry("Lot", "lot-1", 1)));
    const evidence = await readAuditEvidence(db.driver, { entities: [], seqs: [] });
    expect(evidence.entries).toEqual([]);
    expect(evidence.chain.length).toBe(1);
    expect(evidence.chain.headPath).toEqual([]);
  });

  it("refuses with CONFLICT a chain with a gap rather than prove positions that are not seqs", async () => {
    const db = await target.open();
    await db.transaction((tx) =>
      appendAuditBatch(
        tx,
        [1, 2, 3].map((i) => entry("Lot", "lot-1", i)),
      ),
    );
    // Someone with table access removes an entry (the log refuses DELETE: the owner disables that).
    await db.driver.exec(
      "ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log WHERE seq = 2; ALTER TABLE audit_log ENABLE TRIGGER USER;",
    );
    const refused = await readAuditEvidence(db.driver, { entities: [], seqs: [1] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "CONFLICT", details: { missingSeq: 2 } });
  });
});
