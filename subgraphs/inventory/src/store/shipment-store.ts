import type { Page } from "@lotgraph/kit";
import type { New, ShipmentLineRecord, ShipmentRecord } from "../domain/records.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { InventoryTx, Reader } from "./inventory-store.ts";

export async function insertShipment(
  tx: InventoryTx,
  shipment: New<ShipmentRecord>,
  lines: ShipmentLineRecord[],
): Promise<ShipmentRecord> {
  const created = await tx.shipment.create({ data: shipment });
  await tx.shipmentLine.createMany({ data: lines });
  return created;
}

export const findShipments = (db: Reader, ids: readonly string[]): Promise<ShipmentRecord[]> =>
  db.shipment.findMany({ where: { id: { in: [...ids] } } });

export async function linesOfShipments(db: Reader, ids: readonly string[]): Promise<ShipmentLineRecord[]> {
  const rows = await db.shipmentLine.findMany({
    where: { shipmentId: { in: [...ids] } },
    orderBy: [{ shipmentId: "asc" }, { lineNo: "asc" }],
  });
  return rows.map((row) => ({ ...row, quantity: row.quantity.toString() }));
}

/** Newest first; keyset pagination on (shippedAt, id). Fetches `limit + 1` rows. */
export async function pageShipments(
  db: Reader,
  filter: { customerId: string | null; updatedSince: Date | null; externalRef: string | null },
  page: Page,
): Promise<{ rows: ShipmentRecord[]; totalCount: number }> {
  const where: Prisma.ShipmentWhereInput = {
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
    ...(filter.externalRef ? { externalRef: filter.externalRef } : {}),
  };
  const [afterAt, afterId] = page.after ?? [];
  const after: Prisma.ShipmentWhereInput =
    afterAt && afterId
      ? { OR: [{ shippedAt: { lt: new Date(afterAt) } }, { shippedAt: new Date(afterAt), id: { lt: afterId } }] }
      : {};
  const [rows, totalCount] = await Promise.all([
    db.shipment.findMany({
      where: { AND: [where, after] },
      orderBy: [{ shippedAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
    }),
    db.shipment.count({ where }),
  ]);
  return { rows, totalCount };
}
