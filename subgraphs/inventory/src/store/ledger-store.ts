import type {
  LotRecord,
  LotStatus,
  MovementKind,
  StockMovementFilter,
  StockMovementRecord,
} from "../domain/records.ts";
import type { StockMovement } from "../generated/prisma/client.ts";
import { findLots, type InventoryTx, type Reader } from "./inventory-store.ts";

export function toMovementRecord(row: StockMovement): StockMovementRecord {
  return { ...row, seq: row.seq.toString(), quantity: row.quantity.toString(), balance: row.balance.toString() };
}

/**
 * Locks the lots' rows (`SELECT … FOR UPDATE`) in id order, then reads them. Every writer of a
 * lot's quantity or status goes through here first, so concurrent writers queue on the row
 * instead of both reading the same on-hand; the fixed order keeps multi-lot writers
 * (shipments) from deadlocking each other.
 */
export async function lockLots(tx: InventoryTx, ids: readonly string[]): Promise<Map<string, LotRecord>> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return new Map();
  await tx.$queryRawUnsafe("SELECT id FROM lot WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", sorted);
  const lots = await findLots(tx, sorted);
  return new Map(lots.map((lot) => [lot.id, lot]));
}

export interface NewMovement {
  id: string;
  lotId: string;
  kind: MovementKind;
  quantity: string;
  balance: string;
  actorId: string;
  actorName: string;
  reason: string | null;
  fromLocationId?: string | null;
  toLocationId?: string | null;
  runId?: string | null;
  shipmentId?: string | null;
  createdAt: Date;
}

export async function insertMovement(tx: InventoryTx, movement: NewMovement): Promise<StockMovementRecord> {
  return toMovementRecord(await tx.stockMovement.create({ data: movement }));
}

/** Writes the lot's new cached on-hand (and status/location) next to the movement that explains it. */
export async function updateLot(
  tx: InventoryTx,
  id: string,
  change: { quantity: string; status: LotStatus; locationId?: string | null },
): Promise<LotRecord> {
  const lot = await tx.lot.update({ where: { id }, data: change });
  return { ...lot, quantity: lot.quantity.toString() };
}

/** One page of each lot's ledger, oldest first: keyset on the global `seq`, one query for all lots. */
export async function pageMovementsByLot(
  db: Reader,
  lotIds: readonly string[],
  limit: number,
  afterSeq: bigint | null,
): Promise<Map<string, { rows: StockMovementRecord[]; totalCount: number }>> {
  // Window functions pick the first `limit + 1` rows per lot; Prisma then reads them typed.
  const picked = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT id::text AS id FROM (
       SELECT id, row_number() OVER (PARTITION BY lot_id ORDER BY seq) AS rn
         FROM stock_movement WHERE lot_id = ANY($1::uuid[]) AND seq > $2
     ) ranked WHERE rn <= $3`,
    [...lotIds],
    (afterSeq ?? -1n).toString(),
    limit + 1,
  );
  const [rows, counts] = await Promise.all([
    picked.length
      ? db.stockMovement.findMany({ where: { id: { in: picked.map((p) => p.id) } }, orderBy: { seq: "asc" } })
      : Promise.resolve([]),
    db.stockMovement.groupBy({ by: ["lotId"], where: { lotId: { in: [...lotIds] } }, _count: { _all: true } }),
  ]);
  const pages = new Map(lotIds.map((id) => [id, { rows: [] as StockMovementRecord[], totalCount: 0 }]));
  for (const row of rows) pages.get(row.lotId)?.rows.push(toMovementRecord(row));
  for (const count of counts) {
    const page = pages.get(count.lotId);
    if (page) page.totalCount = count._count._all;
  }
  return pages;
}

/** Where a reader of the ledger feed stands: after the movement of transaction `txId` with `seq`. */
export interface LedgerPosition {
  txId: string;
  seq: string;
}

/**
 * The ledger across lots in commit order after `after`: `limit + 1` movements with their
 * positions, and the filter's count. A location filter matches where the lot was when the
 * movement happened: the movement's own from/to, else the arrival of the lot's latest earlier
 * RECEIPT, PRODUCTION or TRANSFER.
 *
 * Sequence numbers are taken at insert but rows become visible at commit, so a reader paging by
 * seq could pass a row whose transaction commits later. The feed is ordered by (writing
 * transaction, seq) and shows only movements of transactions older than every transaction still
 * running: those are all finished, so nothing can later appear behind a cursor it handed out
 * (inventory migration 20261205230000, like the change feed's outbox).
 */
export async function pageMovements(
  db: Reader,
  filter: StockMovementFilter,
  limit: number,
  after: LedgerPosition | null,
): Promise<{ rows: Array<{ movement: StockMovementRecord; position: LedgerPosition }>; totalCount: number }> {
  const where = `
    FROM stock_movement m JOIN lot l ON l.id = m.lot_id
   WHERE m.tx_id < pg_snapshot_xmin(pg_current_snapshot())
     AND ($1::timestamptz IS NULL OR m.created_at >= $1::timestamptz)
     AND ($2::uuid IS NULL OR l.material_id = $2::uuid)
     AND ($3::text IS NULL OR m.kind::text = $3::text)
     AND ($4::uuid IS NULL OR m.from_location_id = $4::uuid OR $4::uuid = (
           SELECT p.to_location_id FROM stock_movement p
            WHERE p.lot_id = m.lot_id AND p.seq <= m.seq AND p.to_location_id IS NOT NULL
            ORDER BY p.seq DESC LIMIT 1))`;
  const params = [filter.since ?? null, filter.materialId ?? null, filter.kind ?? null, filter.locationId ?? null];
  const start = after ?? { txId: "0", seq: "0" };
  const [picked, counted] = await Promise.all([
    db.$queryRawUnsafe<Array<{ id: string; tx_id: string; seq: string }>>(
      `SELECT m.id::text AS id, m.tx_id::text AS tx_id, m.seq::text AS seq ${where}
          AND (m.tx_id, m.seq) > ($5::text::xid8, $6::bigint)
        ORDER BY m.tx_id, m.seq LIMIT $7`,
      ...params,
      start.txId,
      start.seq,
      limit + 1,
    ),
    db.$queryRawUnsafe<Array<{ count: bigint | number }>>(`SELECT count(*) AS count ${where}`, ...params),
  ]);
  const found = picked.length
    ? await db.stockMovement.findMany({ where: { id: { in: picked.map((p) => p.id) } } })
    : [];
  const byId = new Map(found.map((row) => [row.id, toMovementRecord(row)]));
  return {
    rows: picked.map((p) => ({ movement: byId.get(p.id)!, position: { txId: p.tx_id, seq: p.seq } })),
    totalCount: Number(counted[0]?.count ?? 0),
  };
}
