import type { RunPhaseRecord, RunRecord } from "../domain/records.ts";
import type { ProductionTx, Reader } from "./db.ts";
import { group } from "./work-order-store.ts";

export const insertRun = (tx: ProductionTx, run: RunRecord): Promise<RunRecord> =>
  tx.productionRun.create({ data: run });

export const findRuns = (db: Reader, ids: readonly string[]): Promise<RunRecord[]> =>
  db.productionRun.findMany({ where: { id: { in: [...ids] } } });

/**
 * Reads a run with a row lock. Every write about a run (phase changes, consumptions, outputs)
 * takes it first, so two of them never interleave: in particular a consumption and an output
 * recorded at the same moment each see the other, and the genealogy events stay complete.
 */
export async function lockRun(tx: ProductionTx, id: string): Promise<RunRecord | null> {
  await holdRun(tx, id);
  return tx.productionRun.findUnique({ where: { id } });
}

/** {@link lockRun} for a write that needs the lock, not the run: one statement less. */
export async function holdRun(tx: ProductionTx, id: string): Promise<void> {
  await tx.$queryRawUnsafe("SELECT 1 FROM production_run WHERE id = $1::uuid FOR UPDATE", id);
}

export const updateRun = (
  tx: ProductionTx,
  id: string,
  data: Partial<Pick<RunRecord, "status" | "currentPhase" | "endedAt">>,
): Promise<RunRecord> => tx.productionRun.update({ where: { id }, data });

export const hasRunInProgress = async (db: Reader, workOrderId: string): Promise<boolean> =>
  (await db.productionRun.count({ where: { workOrderId, status: "IN_PROGRESS" } })) > 0;

export async function findRunsByWorkOrders(
  db: Reader,
  workOrderIds: readonly string[],
): Promise<Map<string, RunRecord[]>> {
  const rows = await db.productionRun.findMany({
    where: { workOrderId: { in: [...workOrderIds] } },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
  });
  return group(
    rows,
    (row) => row.workOrderId,
    (row) => row,
  );
}

export const startRunPhase = async (tx: ProductionTx, runId: string, sequence: number, at: Date): Promise<void> => {
  await tx.runPhase.create({ data: { runId, sequence, startedAt: at } });
};

export const endRunPhase = async (tx: ProductionTx, runId: string, sequence: number, at: Date): Promise<void> => {
  await tx.runPhase.update({ where: { runId_sequence: { runId, sequence } }, data: { endedAt: at } });
};

export async function findRunPhases(db: Reader, runIds: readonly string[]): Promise<Map<string, RunPhaseRecord[]>> {
  const rows = await db.runPhase.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { sequence: "asc" } });
  return group(
    rows,
    (row) => row.runId,
    (row) => row,
  );
}
