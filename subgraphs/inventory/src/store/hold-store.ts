import type { LotStatus } from "../domain/records.ts";
import { toLotRecord, type InventoryTx } from "./inventory-store.ts";
import type { LotRecord } from "../domain/records.ts";

/** One hold on one lot (table `lot_hold`). */
export interface LotHoldRecord {
  lotId: string;
  holdId: string;
  previousStatus: LotStatus;
  placedAt: Date;
  releasedAt: Date | null;
}

/** Every hold row, active or released, of these lots. */
export const findHolds = (tx: InventoryTx, lotIds: readonly string[]): Promise<LotHoldRecord[]> =>
  tx.lotHold.findMany({ where: { lotId: { in: [...lotIds] } } });

export async function insertHolds(tx: InventoryTx, rows: LotHoldRecord[]): Promise<void> {
  if (rows.length > 0) await tx.lotHold.createMany({ data: rows });
}

export async function releaseHold(tx: InventoryTx, holdId: string, lotIds: readonly string[], at: Date): Promise<void> {
  if (lotIds.length === 0) return;
  await tx.lotHold.updateMany({
    where: { holdId, lotId: { in: [...lotIds] }, releasedAt: null },
    data: { releasedAt: at },
  });
}

/** Sets a lot's status and release requirements: no ledger movement, availability is not quantity. */
export async function setLotAvailability(
  tx: InventoryTx,
  id: string,
  status: LotStatus,
  releasePending: readonly string[],
): Promise<LotRecord> {
  return toLotRecord(await tx.lot.update({ where: { id }, data: { status, releasePending: [...releasePending] } }));
}

/** Lots with an active hold under `holdId`. */
export async function lotsUnderHold(tx: InventoryTx, holdId: string): Promise<string[]> {
  const rows = await tx.lotHold.findMany({ where: { holdId, releasedAt: null }, select: { lotId: true } });
  return rows.map((row) => row.lotId);
}
