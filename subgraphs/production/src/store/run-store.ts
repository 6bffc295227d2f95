import type { RunRecord } from "../domain/records.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type ProductionClient = PrismaClient;
export type ProductionTx = Prisma.TransactionClient;
type Reader = ProductionClient | ProductionTx;

export const findRuns = (db: Reader, ids: readonly string[]): Promise<RunRecord[]> =>
  db.productionRun.findMany({ where: { id: { in: [...ids] } } });

/** lot id → id of the run that output it. */
export async function findProducingRuns(db: Reader, lotIds: readonly string[]): Promise<Map<string, string>> {
  const outputs = await db.runOutput.findMany({
    where: { lotId: { in: [...lotIds] } },
    select: { lotId: true, runId: true },
  });
  return new Map(outputs.map((o) => [o.lotId, o.runId]));
}
