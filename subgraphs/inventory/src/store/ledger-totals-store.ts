import type { LedgerSumRow } from "../domain/ledger-totals.ts";
import type { LotStatus, MovementKind } from "../domain/records.ts";
import type { Reader } from "./inventory-store.ts";

/**
 * The ledger of `lotIds` summed per lot and kind of movement, in one grouped query: a recall's
 * source lots may be thousands, and their movements many more. The lot's on-hand is read in the
 * same statement, so sums and on-hand are one snapshot even while stock keeps moving.
 */
export async function sumLedgerByKind(db: Reader, lotIds: readonly string[]): Promise<LedgerSumRow[]> {
  if (lotIds.length === 0) return [];
  const rows = await db.$queryRawUnsafe<
    Array<{
      lot_id: string;
      uom: string;
      status: LotStatus;
      on_hand: string;
      kind: MovementKind | null;
      total: string | null;
    }>
  >(
    `SELECT l.id::text AS lot_id, l.uom, l.status::text AS status, l.quantity::text AS on_hand,
            m.kind::text AS kind, sum(m.quantity)::text AS total
       FROM lot l LEFT JOIN stock_movement m ON m.lot_id = l.id
      WHERE l.id = ANY($1::uuid[])
      GROUP BY l.id, m.kind`,
    [...lotIds],
  );
  return rows.map((row) => ({
    lotId: row.lot_id,
    uom: row.uom,
    status: row.status,
    onHand: row.on_hand,
    kind: row.kind,
    total: row.total,
  }));
}
