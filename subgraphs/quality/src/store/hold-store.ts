import type { HoldRecord } from "../domain/records.ts";
import { group, type QualityTx, type Reader } from "./db.ts";

export async function insertHolds(tx: QualityTx, holds: readonly HoldRecord[]): Promise<void> {
  await tx.hold.createMany({ data: [...holds] });
}

export const findHolds = (db: Reader, ids: readonly string[]): Promise<HoldRecord[]> =>
  db.hold.findMany({ where: { id: { in: [...ids] } } });

/** lot id → every hold placed on it, oldest first. */
export async function findHoldsByLots(db: Reader, lotIds: readonly string[]): Promise<Map<string, HoldRecord[]>> {
  const rows = await db.hold.findMany({
    where: { lotId: { in: [...lotIds] } },
    orderBy: [{ placedAt: "asc" }, { id: "asc" }],
  });
  return group(
    rows,
    (row) => row.lotId,
    (row) => row,
  );
}

/** root hold id → the holds propagated from it, in lot order. */
export async function findPropagated(db: Reader, rootIds: readonly string[]): Promise<Map<string, HoldRecord[]>> {
  const rows = await db.hold.findMany({
    where: { causeId: { in: [...rootIds] } },
    orderBy: [{ lotId: "asc" }, { id: "asc" }],
  });
  return group(
    rows,
    (row) => row.causeId ?? "",
    (row) => row,
  );
}

/** Locks a hold and the active holds propagated from it (the hold first). */
export async function lockForRelease(tx: QualityTx, holdId: string): Promise<HoldRecord[]> {
  await tx.$queryRawUnsafe("SELECT 1 FROM hold WHERE id = $1::uuid OR cause_id = $1::uuid FOR UPDATE", holdId);
  const hold = await tx.hold.findUnique({ where: { id: holdId } });
  if (!hold) return [];
  const propagated = await tx.hold.findMany({
    where: { causeId: holdId, releasedAt: null },
    orderBy: [{ lotId: "asc" }, { id: "asc" }],
  });
  return [hold, ...propagated];
}

export async function markReleased(
  tx: QualityTx,
  ids: readonly string[],
  release: Pick<
    HoldRecord,
    "releasedAt" | "releasedById" | "releasedByName" | "releaseReason" | "signerName" | "signedAt" | "signatureMeaning"
  >,
): Promise<void> {
  await tx.hold.updateMany({ where: { id: { in: [...ids] }, releasedAt: null }, data: release });
}

/** Active active holds (or all), newest first, after a keyset position. */
export async function pageHolds(
  db: Reader,
  activeOnly: boolean,
  after: { placedAt: Date; id: string } | null,
  limit: number,
): Promise<{ rows: HoldRecord[]; total: number }> {
  const where = activeOnly ? { releasedAt: null } : {};
  const keyset = after
    ? { OR: [{ placedAt: { lt: after.placedAt } }, { placedAt: after.placedAt, id: { lt: after.id } }] }
    : {};
  const [rows, total] = await Promise.all([
    db.hold.findMany({
      where: { AND: [where, keyset] },
      orderBy: [{ placedAt: "desc" }, { id: "desc" }],
      take: limit + 1,
    }),
    db.hold.count({ where }),
  ]);
  return { rows, total };
}
