import type { DecisionRecord, MeasurementRecord } from "../domain/records.ts";
import type { QcDecision, QcMeasurement } from "../generated/prisma/client.ts";
import { group, type QualityTx, type Reader } from "./db.ts";

type Row = QcDecision & { measurements: QcMeasurement[] };
const include = { measurements: true } as const;

const toDecision = ({ measurements, ...decision }: Row): DecisionRecord => ({
  ...decision,
  measurements: measurements.map(({ characteristic, value, lower, upper }) => ({
    characteristic,
    value,
    lower,
    upper,
  })),
});

export async function insertDecision(tx: QualityTx, decision: DecisionRecord): Promise<DecisionRecord> {
  const { measurements, ...row } = decision;
  return toDecision(await tx.qcDecision.create({ data: { ...row, measurements: { create: measurements } }, include }));
}

export async function findDecisions(db: Reader, ids: readonly string[]): Promise<DecisionRecord[]> {
  return (await db.qcDecision.findMany({ where: { id: { in: [...ids] } }, include })).map(toDecision);
}

const order = [{ decidedAt: "asc" }, { id: "asc" }] as const;

/** lot id → its decisions, oldest first. */
export async function findDecisionsByLots(
  db: Reader,
  lotIds: readonly string[],
): Promise<Map<string, DecisionRecord[]>> {
  const rows = await db.qcDecision.findMany({ where: { lotId: { in: [...lotIds] } }, include, orderBy: [...order] });
  return group(rows, (row) => row.lotId ?? "", toDecision);
}

/** run id → its decisions, oldest first. */
export async function findDecisionsByRuns(
  db: Reader,
  runIds: readonly string[],
): Promise<Map<string, DecisionRecord[]>> {
  const rows = await db.qcDecision.findMany({ where: { runId: { in: [...runIds] } }, include, orderBy: [...order] });
  return group(rows, (row) => row.runId ?? "", toDecision);
}

/** The latest decision of a run at a gate, or null. */
export async function latestRunDecision(db: Reader, runId: string, gateId: string): Promise<DecisionRecord | null> {
  const row = await db.qcDecision.findFirst({
    where: { runId, gateId },
    include,
    orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
  });
  return row ? toDecision(row) : null;
}

/** Values of one characteristic measured at a gate by decisions made in [from, to). */
export async function measuredValues(
  db: Reader,
  gateId: string,
  characteristic: string,
  from: Date,
  to: Date,
): Promise<number[]> {
  const rows: Array<Pick<MeasurementRecord, "value">> = await db.qcMeasurement.findMany({
    where: { characteristic, decision: { gateId, decidedAt: { gte: from, lt: to } } },
    select: { value: true },
  });
  return rows.map((row) => row.value);
}

/** When a gate last passed on a line (a run on it, or a lot it made), or null when it never did. */
export async function lastPassOnLine(db: Reader, gateId: string, lineId: string): Promise<Date | null> {
  const row = await db.qcDecision.findFirst({
    where: { gateId, lineId, result: "PASS" },
    orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
    select: { decidedAt: true },
  });
  return row?.decidedAt ?? null;
}

/** The decision that placed a hold (its root's id), if any. */
export async function findDecisionByHold(db: Reader, holdId: string): Promise<DecisionRecord | null> {
  const row = await db.qcDecision.findFirst({ where: { holdId }, include });
  return row ? toDecision(row) : null;
}

/** A page of decisions, newest first, after a (decidedAt, id) keyset; of one gate when given. */
export async function pageDecisions(
  db: Reader,
  gateId: string | null,
  after: { decidedAt: Date; id: string } | null,
  limit: number,
  decidedSince: Date | null = null,
): Promise<{ rows: DecisionRecord[]; total: number }> {
  // A decision never changes once recorded: its decidedAt is its last change.
  const where = { ...(gateId ? { gateId } : {}), ...(decidedSince ? { decidedAt: { gte: decidedSince } } : {}) };
  const keyset = after
    ? { OR: [{ decidedAt: { lt: after.decidedAt } }, { decidedAt: after.decidedAt, id: { lt: after.id } }] }
    : {};
  const [rows, total] = await Promise.all([
    db.qcDecision.findMany({
      where: { AND: [where, keyset] },
      orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      include,
    }),
    db.qcDecision.count({ where }),
  ]);
  return { rows: rows.map(toDecision), total };
}
