import type { InstallationRecord } from "../domain/records.ts";
import type { Installation } from "../generated/prisma/client.ts";
import { decimalText, type ProductionTx, type Reader } from "./db.ts";

const toRecord = (row: Installation): InstallationRecord => ({ ...row, quantity: decimalText(row.quantity) });

export const insertInstallation = async (tx: ProductionTx, record: InstallationRecord): Promise<InstallationRecord> =>
  toRecord(await tx.installation.create({ data: record }));

export async function findInstallation(db: Reader, id: string): Promise<InstallationRecord | null> {
  const row = await db.installation.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

/** Where a serial is installed right now, if anywhere. */
export async function currentInstallationOf(db: Reader, componentSerialId: string): Promise<InstallationRecord | null> {
  const row = await db.installation.findFirst({ where: { componentSerialId, removedAt: null } });
  return row ? toRecord(row) : null;
}

export async function listInstallations(
  db: Reader,
  parentSerialId: string,
  currentOnly: boolean,
): Promise<InstallationRecord[]> {
  const rows = await db.installation.findMany({
    where: { parentSerialId, ...(currentOnly ? { removedAt: null } : {}) },
    orderBy: [{ installedAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toRecord);
}

export async function markRemoved(
  tx: ProductionTx,
  id: string,
  removal: { removedAt: Date; removedBy: string; removalReason: string },
): Promise<InstallationRecord> {
  return toRecord(await tx.installation.update({ where: { id }, data: removal }));
}
