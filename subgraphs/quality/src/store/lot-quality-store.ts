import type { QualityStatus } from "../domain/records.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type QualityClient = PrismaClient;
export type QualityTx = Prisma.TransactionClient;
type Reader = QualityClient | QualityTx;

export async function findQualityStatuses(db: Reader, lotIds: readonly string[]): Promise<Map<string, QualityStatus>> {
  const rows = await db.lotQuality.findMany({ where: { lotId: { in: [...lotIds] } } });
  return new Map(rows.map((r) => [r.lotId, r.status]));
}

/** Records a newly known lot as PENDING; a replay changes nothing. */
export async function registerLot(tx: QualityTx, lotId: string): Promise<void> {
  await tx.lotQuality.upsert({ where: { lotId }, create: { lotId, status: "PENDING" }, update: {} });
}
