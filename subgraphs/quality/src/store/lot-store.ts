import type { QualityTx } from "./db.ts";

/** Records a newly known lot as PENDING; a replay changes nothing. */
export async function registerLot(tx: QualityTx, lotId: string): Promise<void> {
  await tx.lotQuality.upsert({ where: { lotId }, create: { lotId, status: "PENDING" }, update: {} });
}
