import type { ConsumptionRecord, OutputRecord } from "../domain/records.ts";
import type { Consumption, RunOutput } from "../generated/prisma/client.ts";
import { decimalText, type ProductionTx, type Reader } from "./db.ts";
import { group } from "./work-order-store.ts";

const toConsumption = (row: Consumption): ConsumptionRecord => ({ ...row, quantity: decimalText(row.quantity) });
const toOutput = (row: RunOutput): OutputRecord => ({ ...row, quantity: decimalText(row.quantity) });

export async function findConsumptionByMovement(db: Reader, movementId: string): Promise<ConsumptionRecord | null> {
  const row = await db.consumption.findUnique({ where: { movementId } });
  return row ? toConsumption(row) : null;
}

export const insertConsumption = async (tx: ProductionTx, record: ConsumptionRecord): Promise<ConsumptionRecord> =>
  toConsumption(await tx.consumption.create({ data: record }));

export async function findOutputByLot(db: Reader, lotId: string): Promise<OutputRecord | null> {
  const row = await db.runOutput.findUnique({ where: { lotId } });
  return row ? toOutput(row) : null;
}

export const insertOutput = async (tx: ProductionTx, record: OutputRecord): Promise<OutputRecord> =>
  toOutput(await tx.runOutput.create({ data: record }));

export async function findConsumptionsByRuns(
  db: Reader,
  runIds: readonly string[],
): Promise<Map<string, ConsumptionRecord[]>> {
  const rows = await db.consumption.findMany({
    where: { runId: { in: [...runIds] } },
    orderBy: [{ consumedAt: "asc" }, { id: "asc" }],
  });
  return group(rows, (row) => row.runId, toConsumption);
}

export async function findOutputsByRuns(db: Reader, runIds: readonly string[]): Promise<Map<string, OutputRecord[]>> {
  const rows = await db.runOutput.findMany({
    where: { runId: { in: [...runIds] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return group(rows, (row) => row.runId, toOutput);
}

/** Distinct lots a run has consumed so far, in id order. */
export async function consumedLotIds(db: Reader, runId: string): Promise<string[]> {
  const rows = await db.consumption.findMany({
    where: { runId },
    distinct: ["lotId"],
    select: { lotId: true },
    orderBy: { lotId: "asc" },
  });
  return rows.map((row) => row.lotId);
}

/** Lots a run has output so far, in id order. */
export async function outputLotIds(db: Reader, runId: string): Promise<string[]> {
  const rows = await db.runOutput.findMany({ where: { runId }, select: { lotId: true }, orderBy: { lotId: "asc" } });
  return rows.map((row) => row.lotId);
}

/** lot id → id of the run that output it. */
export async function findProducingRuns(db: Reader, lotIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.runOutput.findMany({
    where: { lotId: { in: [...lotIds] } },
    select: { lotId: true, runId: true },
  });
  return new Map(rows.map((row) => [row.lotId, row.runId]));
}

/** lot id → ids of the runs that consumed from it, in order of first consumption. */
export async function findConsumingRuns(db: Reader, lotIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.consumption.findMany({
    where: { lotId: { in: [...lotIds] } },
    select: { lotId: true, runId: true },
    orderBy: [{ consumedAt: "asc" }, { id: "asc" }],
  });
  const byLot = group(
    rows,
    (row) => row.lotId,
    (row) => row.runId,
  );
  return new Map([...byLot].map(([lotId, runIds]) => [lotId, [...new Set(runIds)]]));
}

export async function findConsumption(db: Reader, id: string): Promise<ConsumptionRecord | null> {
  const row = await db.consumption.findUnique({ where: { id } });
  return row ? toConsumption(row) : null;
}

export async function findOutput(db: Reader, id: string): Promise<OutputRecord | null> {
  const row = await db.runOutput.findUnique({ where: { id } });
  return row ? toOutput(row) : null;
}

/** Lots output by runs of work orders on a line after `since` (every one without it), oldest first. */
export async function outputLotsOfLine(db: Reader, lineId: string, since: Date | null): Promise<string[]> {
  const rows = await db.runOutput.findMany({
    where: { run: { workOrder: { lineId } }, ...(since ? { createdAt: { gt: since } } : {}) },
    select: { lotId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => row.lotId);
}
