import type { InventoryTx } from "../store/inventory-store.ts";
import { outputStartFacts } from "../store/ledger-genealogy.ts";
import * as release from "../store/release-store.ts";
import { changeAvailability, type HoldPlacement } from "./availability.ts";
import type { InventoryCommand } from "./inventory-command.ts";
import { INSPECTION, gateRequirement } from "./release-requirements.ts";
import type { LotRecord, MaterialRecord } from "./records.ts";

/**
 * How a new lot starts, decided inside the transaction that creates it (never from an eventually
 * consistent read): what it waits for before use, and the holds it is born under.
 */
export interface LotStart {
  pending: string[];
  holds: HoldPlacement[];
}

/** A hold a new lot was born under, as the caller reports it to quality. */
// A type, not an interface: produceLot stores these with its idempotency key (plain JSON).
export type AutomaticHold = {
  holdId: string;
  /** The held ancestor it was inherited from; null for a held run or supplier lot code. */
  causeLotId: string | null;
  reason: string;
};

/**
 * A run's new output waits for every blocking gate of the run without a PASS (`blockingGateIds`
 * is the routing's, from production), and is born under every active hold on a lot the run
 * consumed or on any ancestor of one, and under every hold a decision placed on the run.
 */
export async function startOfOutput(
  tx: InventoryTx,
  runId: string,
  blockingGateIds: readonly string[],
): Promise<LotStart> {
  await release.markBlockingGates(tx, runId, blockingGateIds);
  const facts = await outputStartFacts(tx, runId);
  const inherited: HoldPlacement[] = facts.inherited.map((hold) => ({
    holdId: hold.holdId,
    reason: `made from lot ${hold.lotCode}, which is on hold`,
    automatic: { causeLotId: hold.lotId },
  }));
  const ofRun: HoldPlacement[] = facts.runHolds.map((hold) => ({
    holdId: hold.holdId,
    reason: `output of a run on hold: ${hold.reason}`,
    automatic: { causeLotId: null },
  }));
  return { pending: facts.pendingGateIds.map(gateRequirement), holds: uniqueHolds([...inherited, ...ofRun]) };
}

/**
 * A receipt waits for incoming inspection when its material requires it, and arrives under every
 * standing hold on its supplier lot code.
 */
export async function startOfReceipt(
  tx: InventoryTx,
  material: MaterialRecord,
  supplierId: string | null,
  supplierLotCode: string | null,
): Promise<LotStart> {
  const pending = material.inspectionRequired ? [INSPECTION] : [];
  const standing = supplierLotCode ? await release.activeSupplierHolds(tx, supplierId, supplierLotCode) : [];
  const holds: HoldPlacement[] = standing.map((hold) => ({
    holdId: hold.holdId,
    reason: `supplier lot ${hold.supplierLotCode} is on hold: ${hold.reason}`,
    automatic: { causeLotId: null },
  }));
  return { pending, holds };
}

/** Applies a start to a lot just created (AVAILABLE): one audited change per requirement set and hold. */
export async function applyStart(
  cmd: InventoryCommand,
  lot: LotRecord,
  start: LotStart,
): Promise<{ lot: LotRecord; holds: AutomaticHold[] }> {
  let current = lot;
  if (start.pending.length) {
    const [change] = await changeAvailability(cmd, [lot.id], {
      addPending: start.pending,
      reason: "waits for release: " + start.pending.join(", "),
    });
    current = change!.after;
  }
  for (const hold of start.holds) {
    const [change] = await changeAvailability(cmd, [lot.id], { hold, reason: hold.reason });
    current = change!.after;
  }
  return {
    lot: current,
    holds: start.holds.map((hold) => ({
      holdId: hold.holdId,
      causeLotId: hold.automatic?.causeLotId ?? null,
      reason: hold.reason,
    })),
  };
}

function uniqueHolds(holds: HoldPlacement[]): HoldPlacement[] {
  const seen = new Map<string, HoldPlacement>();
  for (const hold of holds) if (!seen.has(hold.holdId)) seen.set(hold.holdId, hold);
  return [...seen.values()];
}
