import type { InventoryTx } from "./inventory-store.ts";

/** Records that decide how a new lot starts: run gates, run holds and standing supplier holds. */

/** Marks `gateIds` as blocking the outputs of `runId` (as production's routing says). */
export async function markBlockingGates(tx: InventoryTx, runId: string, gateIds: readonly string[]): Promise<void> {
  if (gateIds.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO run_gate (run_id, gate_id, blocking, passed)
     SELECT $1::uuid, gate_id, true, false FROM unnest($2::text[]) AS gate_id
     ON CONFLICT (run_id, gate_id) DO UPDATE SET blocking = true`,
    runId,
    [...gateIds],
  );
}

/** Records quality's latest word at a gate; returns whether that gate blocks the run's outputs. */
export async function recordGateResult(
  tx: InventoryTx,
  runId: string,
  gateId: string,
  passed: boolean,
): Promise<{ blocking: boolean }> {
  const row = await tx.runGate.upsert({
    where: { runId_gateId: { runId, gateId } },
    create: { runId, gateId, blocking: false, passed },
    update: { passed },
  });
  return { blocking: row.blocking };
}

export interface RunHoldRecord {
  runId: string;
  holdId: string;
  gateId: string;
  reason: string;
  placedAt: Date;
  endedAt: Date | null;
}

export async function insertRunHold(tx: InventoryTx, hold: RunHoldRecord): Promise<void> {
  await tx.runHold.upsert({
    where: { runId_holdId: { runId: hold.runId, holdId: hold.holdId } },
    create: hold,
    update: {},
  });
}

/** A later decision at the gate supersedes the run holds it placed: later outputs are not held by them. */
export async function endRunHoldsAtGate(tx: InventoryTx, runId: string, gateId: string, at: Date): Promise<void> {
  await tx.runHold.updateMany({ where: { runId, gateId, endedAt: null }, data: { endedAt: at } });
}

/** Releasing a hold ends it everywhere it stands: on lots, on runs, on a supplier lot code. */
export async function endStandingHolds(tx: InventoryTx, holdId: string, at: Date): Promise<void> {
  await tx.runHold.updateMany({ where: { holdId, endedAt: null }, data: { endedAt: at } });
  await tx.supplierHold.updateMany({ where: { holdId, releasedAt: null }, data: { releasedAt: at } });
}

export interface SupplierHoldRecord {
  holdId: string;
  supplierId: string;
  supplierLotCode: string;
  reason: string;
  placedAt: Date;
  releasedAt: Date | null;
  otherSuppliers: boolean;
}

export async function insertSupplierHold(tx: InventoryTx, hold: SupplierHoldRecord): Promise<void> {
  await tx.supplierHold.upsert({ where: { holdId: hold.holdId }, create: hold, update: {} });
}

export const findSupplierHold = (tx: InventoryTx, holdId: string): Promise<SupplierHoldRecord | null> =>
  tx.supplierHold.findUnique({ where: { holdId } });

/**
 * Standing holds a new receipt under this supplier lot code arrives under: its supplier's own; a
 * receipt whose supplier has none on the code, or that names no supplier, arrives under the hold
 * that takes the code from every other supplier (a recall's, decision 0029).
 */
export async function activeSupplierHolds(
  tx: InventoryTx,
  supplierId: string | null,
  supplierLotCode: string,
): Promise<SupplierHoldRecord[]> {
  const active = { supplierLotCode, releasedAt: null };
  const own = supplierId
    ? await tx.supplierHold.findMany({ where: { ...active, supplierId }, orderBy: { placedAt: "asc" } })
    : [];
  if (own.length > 0) return own;
  return tx.supplierHold.findMany({ where: { ...active, otherSuppliers: true }, orderBy: { placedAt: "asc" } });
}
