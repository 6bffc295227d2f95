import type { GateRecord } from "../domain/records.ts";
import type { QcCharacteristic, QcGate } from "../generated/prisma/client.ts";
import type { QualityTx, Reader } from "./db.ts";

type Row = QcGate & { characteristics: QcCharacteristic[] };
const include = { characteristics: { orderBy: { position: "asc" } } } as const;

const toGate = ({ characteristics, ...gate }: Row): GateRecord => ({
  ...gate,
  characteristics: characteristics.map(({ name, lower, upper, unit }) => ({ name, lower, upper, unit })),
});

export async function insertGate(tx: QualityTx, gate: GateRecord): Promise<GateRecord> {
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

export async function allGates(db: Reader): Promise<GateRecord[]> {
  return (await db.qcGate.findMany({ include, orderBy: [{ name: "asc" }, { id: "asc" }] })).map(toGate);
}
