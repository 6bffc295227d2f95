import type { NonConformanceRecord, NonConformanceStatus } from "../domain/records.ts";
import type { QualityTx, Reader } from "./db.ts";

export const insertNonConformance = (
  tx: QualityTx,
  record: Omit<NonConformanceRecord, "number">,
): Promise<NonConformanceRecord> => tx.nonConformance.create({ data: record });

export const findNonConformances = (db: Reader, ids: readonly string[]): Promise<NonConformanceRecord[]> =>
  db.nonConformance.findMany({ where: { id: { in: [...ids] } } });

export async function lockNonConformance(tx: QualityTx, id: string): Promise<NonConformanceRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM non_conformance WHERE id = $1::uuid FOR UPDATE", id);
  return tx.nonConformance.findUnique({ where: { id } });
}

export const updateNonConformance = (
  tx: QualityTx,
  id: string,
  data: Partial<
    Pick<
      NonConformanceRecord,
      | "status"
      | "disposition"
      | "correctiveAction"
      | "dispositionedAt"
      | "closedAt"
      | "closedByName"
      | "dispositionSignerName"
      | "dispositionSignedAt"
      | "dispositionMeaning"
      | "closeSignerName"
      | "closeSignedAt"
      | "closeMeaning"
    >
  >,
): Promise<NonConformanceRecord> => tx.nonConformance.update({ where: { id }, data });

export async function pageNonConformances(
  db: Reader,
  status: NonConformanceStatus | null,
  afterNumber: number | null,
  limit: number,
  updatedSince: Date | null = null,
): Promise<{ rows: NonConformanceRecord[]; total: number }> {
  const where = { ...(status ? { status } : {}), ...(updatedSince ? { updatedAt: { gte: updatedSince } } : {}) };
  const [rows, total] = await Promise.all([
    db.nonConformance.findMany({
      where: { ...where, ...(afterNumber === null ? {} : { number: { lt: afterNumber } }) },
      orderBy: { number: "desc" },
      take: limit + 1,
    }),
    db.nonConformance.count({ where }),
  ]);
  return { rows, total };
}
