import type { RunPhaseRecord, RunRecord } from "../domain/records.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { ProductionTx, Reader } from "./db.ts";
import { group } from "./work-order-store.ts";

export const insertRun = (tx: ProductionTx, run: Omit<RunRecord, "updatedAt">): Promise<RunRecord> =>
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

/** A consumption or an output changed the run: `updatedSince` readers must see it again. */
export async function touchRun(tx: ProductionTx, id: string): Promise<void> {
  await tx.productionRun.update({ where: { id }, data: { updatedAt: new Date() } });
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

export interface RunFilter {
  /** Runs that ended (COMPLETED or CANCELLED) at or after this time. */
  completedSince?: Date | null;
  lineId?: string | null;
  status?: RunRecord["status"] | null;
  updatedSince?: Date | null;
}

/** `ended`: by (endedAt, id), for completedSince; `started`: by (startedAt, id). */
export type RunOrder = "ended" | "started";
export interface RunKey {
  at: Date;
  id: string;
}

/** Ascending keyset page of runs after `after`; fetches `limit + 1` rows. */
export async function pageRuns(
  db: Reader,
  filter: RunFilter,
  order: RunOrder,
  after: RunKey | null,
  limit: number,
): Promise<{ rows: RunRecord[]; totalCount: number }> {
  const where: Prisma.ProductionRunWhereInput = {
    ...(filter.completedSince ? { endedAt: { gte: filter.completedSince } } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.lineId ? { workOrder: { lineId: filter.lineId } } : {}),
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
  };
  const time = order === "ended" ? "endedAt" : "startedAt";
  const keyset: Prisma.ProductionRunWhereInput | null = after
    ? { OR: [{ [time]: { gt: after.at } }, { [time]: after.at, id: { gt: after.id } }] }
    : null;
  const [rows, totalCount] = await Promise.all([
    db.productionRun.findMany({
      where: keyset ? { AND: [where, keyset] } : where,
      orderBy: [{ [time]: "asc" }, { id: "asc" }],
      take: limit + 1,
    }),
    db.productionRun.count({ where }),
  ]);
  return { rows, totalCount };
}

/** Ids of the runs IN_PROGRESS whose work order has a phase at `gateId`, oldest first. */
export async function runsInProgressThroughGate(db: Reader, gateId: string): Promise<string[]> {
  const rows = await db.productionRun.findMany({
    where: { status: "IN_PROGRESS", workOrder: { phases: { some: { gateId } } } },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
