import { randomUUID } from "node:crypto";
import { GENESIS_HASH, auditEntryHash } from "../audit/entry-hash.ts";
import type { AuditEvidence, ProvedAuditEntry } from "../audit/evidence-format.ts";
import { sealEvidence } from "../audit/evidence-seal.ts";
import type { SigningKeyPair } from "../audit/evidence-signing.ts";
import { MerkleTree } from "../audit/merkle.ts";

/** A chain of `length` entries as appendAudit writes them, with the given seqs proved. */
export function sampleChainEvidence(length: number, proved: readonly number[]): AuditEvidence {
  const entries: Array<Omit<ProvedAuditEntry, "path">> = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const content = {
      seq,
      id: randomUUID(),
      at: new Date(Date.UTC(2026, 2, 1, 8, 0, seq)).toISOString(),
      actor: { id: "user-1", name: "Alice" },
      action: "lot.held",
      entityType: "Lot",
      entityId: `lot-${seq}`,
      reason: seq % 2 ? "recall RC-2026-0001" : null,
      before: { status: "AVAILABLE" },
      after: { status: "ON_HOLD", quantity: "12.5", nested: { b: [1, 2.25], a: null } },
      prevHash,
    };
    const hash = auditEntryHash(content);
    entries.push({ ...content, hash });
    prevHash = hash;
  }
  const tree = MerkleTree.of(entries.map((e) => e.hash));
  return {
    chain: {
      length,
      headHash: entries[length - 1]?.hash ?? null,
      merkleRoot: tree.root,
      headPath: length ? tree.path(length - 1) : [],
    },
    entries: proved.map((seq) => ({ ...entries[seq - 1]!, path: tree.path(seq - 1) })),
  };
}

/**
 * A sealed evidence bundle of recall case RC-2026-0001 with 3 files and 7 audit entries in 4
 * chains (inventory #3 #4 #5 #9 of 12, quality #2 #7 of 7, traceability #1 of 1, production
 * empty), for tests of the verifier and the command line.
 */
export function sampleEvidenceBundle(key: SigningKeyPair): Map<string, Uint8Array> {
  const encoder = new TextEncoder();
  return sealEvidence(
    {
      recallCase: { id: randomUUID(), number: "RC-2026-0001" },
      createdAt: new Date("2026-03-02T10:00:00.000Z"),
      files: new Map([
        ["epcis.json", encoder.encode('{"type":"EPCISDocument"}\n')],
        ["fsma204.csv", encoder.encode("Event Type,Event Date\r\nReceiving,2026-03-01\r\n")],
        ["decisions.json", encoder.encode("[]\n")],
      ]),
      audit: {
        inventory: sampleChainEvidence(12, [3, 4, 5, 9]),
        quality: sampleChainEvidence(7, [2, 7]),
        traceability: sampleChainEvidence(1, [1]),
        production: sampleChainEvidence(0, []),
      },
    },
    key,
  );
}
