import type { ReleaseRecord, SupplierHoldRecord } from "../domain/records.ts";
import type { QualityTx, Reader } from "./db.ts";

export const insertSupplierHold = (tx: QualityTx, hold: SupplierHoldRecord): Promise<SupplierHoldRecord> =>
  tx.supplierHold.create({ data: hold });

export const findSupplierHolds = (db: Reader, ids: readonly string[]): Promise<SupplierHoldRecord[]> =>
  db.supplierHold.findMany({ where: { id: { in: [...ids] } } });

/** Active supplier holds on a supplier lot code. */
export const activeSupplierHolds = (db: Reader, supplierId: string, supplierLotCode: string) =>
  db.supplierHold.findMany({ where: { supplierId, supplierLotCode, releasedAt: null } });

export async function lockSupplierHold(tx: QualityTx, id: string): Promise<SupplierHoldRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM supplier_hold WHERE id = $1::uuid FOR UPDATE", id);
  return tx.supplierHold.findUnique({ where: { id } });
}

export const markSupplierHoldReleased = (tx: QualityTx, id: string, release: ReleaseRecord) =>
  tx.supplierHold.update({ where: { id }, data: release });

/** Supplier holds (active only, or all), newest first, after a keyset position. */
export async function pageSupplierHolds(
  db: Reader,
  activeOnly: boolean,
  after: { placedAt: Date; id: string } | null,
  limit: number,
  updatedSince: Date | null = null,
): Promise<{ rows: SupplierHoldRecord[]; total: number }> {
  const where = {
    ...(activeOnly ? { releasedAt: null } : {}),
    ...(updatedSince ? { updatedAt: { gte: updatedSince } } : {}),
  };
  const keyset = after
    ? { OR: [{ placedAt: { lt: after.placedAt } }, { placedAt: after.placedAt, id: { lt: after.id } }] }
    : {};
  const [rows, total] = await Promise.all([
    db.supplierHold.findMany({
      where: { AND: [where, keyset] },
      orderBy: [{ placedAt: "desc" }, { id: "desc" }],
      take: limit + 1,
    }),
    db.supplierHold.count({ where }),
  ]);
  return { rows, total };
}
