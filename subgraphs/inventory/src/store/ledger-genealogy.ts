import type { InventoryTx } from "./inventory-store.ts";

/**
 * The lot genealogy as inventory's own ledger records it: a run's CONSUMPTION movements name its
 * inputs, its PRODUCTION movements its outputs, and every input of a run is a parent of every
 * output (run-level genealogy, DESIGN.md §4.4). Traceability projects the same facts from events,
 * eventually; these queries read what is committed here, in the caller's transaction, so a hold
 * decided by them cannot miss a lot whose production was committed before it.
 */

/** Advisory lock taken by every write that adds to the genealogy or decides holds from it. */
const GENEALOGY_LOCK = 0x6e4e41;

/**
 * Writes that add stock to the genealogy (receive, consume, produce) share this lock; writes that
 * place holds or record quality decisions take it alone ({@link lockGenealogyExclusive}). So a
 * hold sees every lot committed before it, and a new lot sees every hold committed before it.
 */
export async function lockGenealogyShared(tx: InventoryTx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock_shared(${GENEALOGY_LOCK})`);
}

export async function lockGenealogyExclusive(tx: InventoryTx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(${GENEALOGY_LOCK})`);
}

/** Every lot made, at any depth, from any of `lotIds`; the lots themselves excluded. */
export async function descendantsOf(tx: InventoryTx, lotIds: readonly string[]): Promise<string[]> {
  if (lotIds.length === 0) return [];
  // UNION (not UNION ALL) ends the walk on lots already seen, so a run that consumed its own
  // output cannot make it loop.
  const rows = await tx.$queryRawUnsafe<Array<{ lot_id: string }>>(
    `WITH RECURSIVE reached(lot_id) AS (
       SELECT unnest($1::uuid[])
       UNION
       SELECT made.lot_id
         FROM reached
         JOIN stock_movement used ON used.lot_id = reached.lot_id AND used.kind = 'CONSUMPTION'
         JOIN stock_movement made ON made.run_id = used.run_id AND made.kind = 'PRODUCTION'
     )
     SELECT lot_id::text AS lot_id FROM reached WHERE NOT (lot_id = ANY($1::uuid[])) ORDER BY lot_id`,
    [...lotIds],
  );
  return rows.map((row) => row.lot_id);
}

/** A hold active on a lot the run consumed, or on any ancestor of one. */
export interface InheritedHold {
  holdId: string;
  /** The held ancestor (the first one found, by id, when several carry the hold). */
  lotId: string;
  lotCode: string;
}

/** What a new output of a run starts under, read in one round trip (see startOfOutput). */
export interface OutputStartFacts {
  /** Blocking gates of the run without a PASS. */
  pendingGateIds: string[];
  /** Active holds on what the run consumed or on any ancestor of it. */
  inherited: InheritedHold[];
  /** Holds decisions placed on the run itself that still catch new outputs. */
  runHolds: Array<{ holdId: string; reason: string }>;
}

/**
 * Everything that decides how a new output of `runId` starts: its run's pending blocking gates,
 * the active holds on its inputs and their ancestors (a recursive walk of the ledger), and the
 * run's own holds. One statement: recordOutput is on the hot path.
 */
export async function outputStartFacts(tx: InventoryTx, runId: string): Promise<OutputStartFacts> {
  const rows = await tx.$queryRawUnsafe<
    Array<{ kind: string; id: string; lot_id: string | null; detail: string | null }>
  >(
    `WITH RECURSIVE ancestor(lot_id) AS (
       SELECT lot_id FROM stock_movement WHERE run_id = $1::uuid AND kind = 'CONSUMPTION'
       UNION
       SELECT used.lot_id
         FROM ancestor
         JOIN stock_movement made ON made.lot_id = ancestor.lot_id AND made.kind = 'PRODUCTION'
         JOIN stock_movement used ON used.run_id = made.run_id AND used.kind = 'CONSUMPTION'
     ), inherited AS (
       SELECT DISTINCT ON (h.hold_id) h.hold_id, h.lot_id, lot.code
         FROM ancestor
         JOIN lot_hold h ON h.lot_id = ancestor.lot_id AND h.released_at IS NULL
         JOIN lot ON lot.id = h.lot_id
        ORDER BY h.hold_id, h.lot_id
     )
     SELECT 'inherited' AS kind, hold_id AS id, lot_id::text AS lot_id, code AS detail FROM inherited
     UNION ALL
     SELECT 'run', hold_id, NULL, reason FROM run_hold WHERE run_id = $1::uuid AND ended_at IS NULL
     UNION ALL
     SELECT 'gate', gate_id, NULL, NULL FROM run_gate WHERE run_id = $1::uuid AND blocking AND NOT passed`,
    runId,
  );
  const facts: OutputStartFacts = { pendingGateIds: [], inherited: [], runHolds: [] };
  for (const row of rows) {
    if (row.kind === "gate") facts.pendingGateIds.push(row.id);
    else if (row.kind === "run") facts.runHolds.push({ holdId: row.id, reason: row.detail ?? "" });
    else facts.inherited.push({ holdId: row.id, lotId: row.lot_id ?? "", lotCode: row.detail ?? "" });
  }
  facts.pendingGateIds.sort();
  return facts;
}

/** The lots a run has output so far, oldest first. */
export async function outputsOfRun(tx: InventoryTx, runId: string): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<Array<{ lot_id: string }>>(
    `SELECT lot_id::text AS lot_id FROM stock_movement
      WHERE run_id = $1::uuid AND kind = 'PRODUCTION' ORDER BY seq`,
    runId,
  );
  return rows.map((row) => row.lot_id);
}

/** Lots received from `supplierId` under `supplierLotCode`, oldest first. */
export async function lotsOfSupplierCode(
  tx: InventoryTx,
  supplierId: string,
  supplierLotCode: string,
  otherSuppliers = false,
): Promise<string[]> {
  // A hold that takes the code from other suppliers takes the lots of no supplier, and of every
  // supplier without an active hold of its own on the code (each of those holds its own).
  const heldElsewhere = otherSuppliers
    ? (
        await tx.supplierHold.findMany({
          where: { supplierLotCode, releasedAt: null, supplierId: { not: supplierId } },
          select: { supplierId: true },
        })
      ).map((hold) => hold.supplierId)
    : [];
  const rows = await tx.lot.findMany({
    where: otherSuppliers
      ? {
          supplierLotCode,
          OR: [{ supplierId }, { supplierId: null }, { supplierId: { notIn: heldElsewhere } }],
        }
      : { supplierId, supplierLotCode },
    select: { id: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => row.id);
}
