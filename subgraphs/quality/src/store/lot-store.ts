import type { LotQualityFacts, QcResult } from "../domain/records.ts";
import type { QualityTx, Reader } from "./db.ts";

/** Records a newly known lot as PENDING; a replay changes nothing. */
export async function registerLot(tx: QualityTx, lotId: string): Promise<void> {
  await tx.lotQuality.upsert({ where: { lotId }, create: { lotId, status: "PENDING" }, update: {} });
}

/**
 * lot id → whether it has an active hold and its latest decision's result, in one query (index
 * look-ups on hold(lot_id, …) and qc_decision(lot_id, decided_at)). Every id asked for is answered.
 */
export async function findQualityFacts(db: Reader, lotIds: readonly string[]): Promise<Map<string, LotQualityFacts>> {
  const rows = await db.$queryRawUnsafe<
    Array<{ lot_id: string; active_hold: boolean; latest_result: QcResult | null }>
  >(
    `SELECT lot.id::text AS lot_id,
            EXISTS (SELECT 1 FROM hold WHERE hold.lot_id = lot.id AND hold.released_at IS NULL) AS active_hold,
            (SELECT d.result::text FROM qc_decision d WHERE d.lot_id = lot.id
              ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS latest_result
       FROM unnest($1::uuid[]) AS lot(id)`,
    [...lotIds],
  );
  return new Map(rows.map((row) => [row.lot_id, { activeHold: row.active_hold, latestResult: row.latest_result }]));
}
