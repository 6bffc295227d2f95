import type { SerialStatus, SerialUnitRecord } from "../domain/records.ts";
import type { InventoryTx, Reader } from "./inventory-store.ts";

/** Serial statuses that still follow their lot (not built in, not gone). */
const IN_STOCK: SerialStatus[] = ["AVAILABLE", "ON_HOLD"];

export async function insertSerials(tx: InventoryTx, serials: SerialUnitRecord[]): Promise<SerialUnitRecord[]> {
  if (serials.length) await tx.serialUnit.createMany({ data: serials });
  return serials;
}

export async function takenSerialNumbers(
  tx: Reader,
  materialId: string,
  numbers: readonly string[],
): Promise<string[]> {
  const rows = await tx.serialUnit.findMany({
    where: { materialId, serialNumber: { in: [...numbers] } },
    select: { serialNumber: true },
  });
  return rows.map((r) => r.serialNumber);
}

export const findSerials = (db: Reader, ids: readonly string[]): Promise<SerialUnitRecord[]> =>
  db.serialUnit.findMany({ where: { id: { in: [...ids] } } });

export const findSerialsByNumber = (db: Reader, serialNumber: string, materialId: string | null) =>
  db.serialUnit.findMany({ where: { serialNumber, ...(materialId ? { materialId } : {}) }, take: 2 });

export const serialsOfLots = (db: Reader, lotIds: readonly string[]): Promise<SerialUnitRecord[]> =>
  db.serialUnit.findMany({
    where: { lotId: { in: [...lotIds] } },
    orderBy: [{ lotId: "asc" }, { serialNumber: "asc" }],
  });

/** A closed lot takes the serial units still in stock with it. */
export async function closeSerials(tx: InventoryTx, lotId: string, status: SerialStatus): Promise<number> {
  const { count } = await tx.serialUnit.updateMany({ where: { lotId, status: { in: IN_STOCK } }, data: { status } });
  return count;
}

/** Serial units in stock are where their lot is. */
export async function moveSerials(tx: InventoryTx, lotId: string, locationId: string): Promise<void> {
  await tx.serialUnit.updateMany({ where: { lotId, status: { in: IN_STOCK } }, data: { locationId } });
}

/** The units of a lot with these serial numbers. */
export const findSerialsInLot = (db: Reader, lotId: string, numbers: readonly string[]): Promise<SerialUnitRecord[]> =>
  db.serialUnit.findMany({ where: { lotId, serialNumber: { in: [...numbers] } } });

export async function setSerialStatus(tx: InventoryTx, ids: readonly string[], status: SerialStatus): Promise<void> {
  if (ids.length) await tx.serialUnit.updateMany({ where: { id: { in: [...ids] } }, data: { status } });
}
