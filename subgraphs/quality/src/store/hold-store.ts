import type { HoldRecord, ReleaseRecord } from "../domain/records.ts";
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

/**
 * Serialises every writer of one placement (recording its holds, releasing it): a transaction
 * advisory lock on the placement id, taken before its rows are read.
 */
export async function lockPlacement(tx: QualityTx, placementId: string): Promise<void> {
  await tx.$executeRawUnsafe("SELECT 1 FROM pg_advisory_xact_lock(hashtext($1))", `placement:${placementId}`);
}

/** Every hold of a placement, the root first, then in lot order. */
export async function holdsOfPlacement(db: Reader, placementId: string): Promise<HoldRecord[]> {
  const rows = await db.hold.findMany({ where: { placementId }, orderBy: [{ lotId: "asc" }, { id: "asc" }] });
  return [...rows.filter((h) => h.id === placementId), ...rows.filter((h) => h.id !== placementId)];
}

export async function markReleased(tx: QualityTx, ids: readonly string[], release: ReleaseRecord): Promise<void> {
  if (ids.length) await tx.hold.updateMany({ where: { id: { in: [...ids] }, releasedAt: null }, data: release });
}

/** Names the decision on holds of its placement recorded before it (a lot produced meanwhile). */
export async function linkDecision(tx: QualityTx, placementId: string, decisionId: string): Promise<void> {
  await tx.hold.updateMany({ where: { placementId, decisionId: null }, data: { decisionId } });
}

/** Active active holds (or all), newest first, after a keyset position. */
export async function pageHolds(
  db: Reader,
  activeOnly: boolean,
  after: { placedAt: Date; id: string } | null,
  limit: number,
  updatedSince: Date | null = null,
): Promise<{ rows: HoldRecord[]; total: number }> {
  const where = {
    ...(activeOnly ? { releasedAt: null } : {}),
    ...(updatedSince ? { updatedAt: { gte: updatedSince } } : {}),
  };
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

/** placement id → its holds, oldest first. */
export async function findHoldsByPlacements(
  db: Reader,
  placementIds: readonly string[],
): Promise<Map<string, HoldRecord[]>> {
  const rows = await db.hold.findMany({
    where: { placementId: { in: [...placementIds] } },
    orderBy: [{ placedAt: "asc" }, { id: "asc" }],
  });
  return group(
    rows,
    (row) => row.placementId,
    (row) => row,
  );
}
