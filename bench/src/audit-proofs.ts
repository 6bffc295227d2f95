import { performance } from "node:perf_hooks";
import { MerkleTree, appendAuditBatch, readAuditEvidence, type AuditEntryInput } from "@lotgraph/kit";
import { kitTestTargets } from "@lotgraph/kit/testing";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** Entities a bundle asks about: a recall's lots, each with a few entries. */
const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 200);
const BATCH = 5_000;

/**
 * `npm run bench -- audit-proofs`: what proving entries in a service's audit chain costs (an
 * evidence bundle asks each service once, docs/evidence-bundle.md). Fills a log of
 * `BENCH_ENTRIES` entries (100,000) in PGlite, and in PostgreSQL when DATABASE_URL is set, then
 * times `readAuditEvidence` for `BENCH_ENTITIES` entities over `BENCH_ROUNDS` rounds: the whole
 * call (one pass over `SELECT seq, hash`, the tree, the entries and their paths), and the tree
 * alone over the same hashes in memory.
 */
export async function main(): Promise<void> {
  const targets = kitTestTargets("bench_audit_proofs");
  try {
    for (const target of targets) {
      const db = await target.open();
      const started = performance.now();
      for (let first = 0; first < ENTRIES; first += BATCH) {
        const inputs = Array.from({ length: Math.min(BATCH, ENTRIES - first) }, (_, i) => entry(first + i));
        await db.transaction((tx) => appendAuditBatch(tx, inputs));
      }
      console.log(`${target.name}: ${ENTRIES} entries written in ${seconds(performance.now() - started)}`);
      const entities = Array.from({ length: ENTITIES }, (_, i) => ({
        entityType: "Lot",
        entityId: `lot-${Math.floor((i * ENTRIES) / ENTITIES / 4)}`,
      }));
      const calls: number[] = [];
      let proved = 0;
      let hashes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const t0 = performance.now();
        const evidence = await readAuditEvidence(db.driver, { entities, seqs: [] });
        calls.push(performance.now() - t0);
        proved = evidence.entries.length;
        if (round === 0)
          hashes = (await db.driver.query<{ hash: string }>("SELECT hash FROM audit_log ORDER BY seq")).map(
            (r) => r.hash,
          );
      }
      const trees: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const t0 = performance.now();
        MerkleTree.of(hashes);
        trees.push(performance.now() - t0);
      }
      console.log(
        `${target.name}: readAuditEvidence over ${ENTRIES} entries, ${proved} proved: median ${ms(median(calls))}, ` +
          `max ${ms(Math.max(...calls))}; of which the tree in memory: median ${ms(median(trees))}`,
      );
    }
    if (targets.length === 1) console.log("PostgreSQL skipped: set DATABASE_URL to measure it");
  } finally {
    await Promise.all(targets.map((t) => t.dispose()));
  }
}

/** Four entries per lot, with a before and an after like a real one's. */
function entry(i: number): AuditEntryInput {
  return {
    actor: { id: "bench", name: "Bench" },
    action: i % 4 === 0 ? "lot.received" : "lot.moved",
    entityType: "Lot",
    entityId: `lot-${Math.floor(i / 4)}`,
    reason: null,
    before: i % 4 === 0 ? null : { locationId: `loc-${i - 1}`, status: "AVAILABLE" },
    after: { locationId: `loc-${i}`, status: "AVAILABLE", quantity: "12.500000" },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${Math.round(value)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
