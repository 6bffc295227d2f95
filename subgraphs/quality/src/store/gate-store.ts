import type { CharacteristicRecord, GateRecord } from "../domain/records.ts";
import type { Prisma, QcCharacteristic, QcGate } from "../generated/prisma/client.ts";
import type { QualityTx, Reader } from "./db.ts";

type Row = QcGate & { characteristics: QcCharacteristic[] };
const include = { characteristics: { orderBy: { position: "asc" } } } as const;

const toGate = ({ characteristics, ...gate }: Row): GateRecord => ({
  ...gate,
  characteristics: characteristics.map(({ name, lower, upper, unit }) => ({ name, lower, upper, unit })),
});

export type NewGate = Omit<GateRecord, "active" | "deactivatedAt" | "updatedAt">;

export async function insertGate(tx: QualityTx, gate: NewGate): Promise<GateRecord> {
  const { characteristics, ...row } = gate;
  return toGate(
    await tx.qcGate.create({
      data: { ...row, characteristics: { create: characteristics.map((c, position) => ({ ...c, position })) } },
      include,
    }),
  );
}

export async function findGates(db: Reader, ids: readonly string[]): Promise<GateRecord[]> {
  return (await db.qcGate.findMany({ where: { id: { in: [...ids] } }, include })).map(toGate);
}

export interface GateFilter {
  active?: boolean | null;
  updatedSince?: Date | null;
}

export async function allGates(db: Reader, filter: GateFilter = {}): Promise<GateRecord[]> {
  const where: Prisma.QcGateWhereInput = {
    ...(filter.active != null ? { active: filter.active } : {}),
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
  };
  return (await db.qcGate.findMany({ where, include, orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toGate);
}

/** Reads a gate with a row lock: changes to one gate happen one at a time. */
export async function lockGate(tx: QualityTx, id: string): Promise<GateRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM qc_gate WHERE id = $1::uuid FOR UPDATE", id);
  return (await findGates(tx, [id]))[0] ?? null;
}

export type GateChanges = Partial<
  Pick<GateRecord, "name" | "blocking" | "criticalControlPoint" | "segregationOfDuties" | "active" | "deactivatedAt">
> & { characteristics?: CharacteristicRecord[] };

/**
 * Changes a gate; a new checklist replaces the old one. Past decisions do not read it: each
 * measurement keeps the limits it was judged against.
 */
export async function updateGate(tx: QualityTx, id: string, changes: GateChanges): Promise<GateRecord> {
  const { characteristics, ...fields } = changes;
  if (characteristics) await tx.qcCharacteristic.deleteMany({ where: { gateId: id } });
  return toGate(
    await tx.qcGate.update({
      where: { id },
      data: {
        ...fields,
        // Set here too: a change of the checklist alone writes no column of qc_gate itself.
        updatedAt: new Date(),
        ...(characteristics
          ? { characteristics: { create: characteristics.map((c, position) => ({ ...c, position })) } }
          : {}),
      },
      include,
    }),
  );
}
