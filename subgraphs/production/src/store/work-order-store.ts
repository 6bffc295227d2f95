import type { Page } from "@lotgraph/kit";
import type { BomComponentRecord, PhaseRecord, WorkOrderRecord, WorkOrderStatus } from "../domain/records.ts";
import type { Prisma, WorkOrder } from "../generated/prisma/client.ts";
import { decimalText, type ProductionTx, type Reader } from "./db.ts";

const toRecord = (row: WorkOrder): WorkOrderRecord => ({ ...row, plannedQuantity: decimalText(row.plannedQuantity) });

export interface NewWorkOrder {
  id: string;
  productId: string;
  plannedQuantity: string;
  lineId: string | null;
  externalRef: string | null;
  phases: PhaseRecord[];
  components: BomComponentRecord[];
}

/** Inserts the work order (PLANNED) with its routing and bill of materials; `number` comes from the sequence. */
export async function insertWorkOrder(tx: ProductionTx, input: NewWorkOrder): Promise<WorkOrderRecord> {
  const row = await tx.workOrder.create({
    data: {
      id: input.id,
      productId: input.productId,
      plannedQuantity: input.plannedQuantity,
      status: "PLANNED",
      lineId: input.lineId,
      externalRef: input.externalRef,
      phases: { create: input.phases },
      components: { create: input.components },
    },
  });
  return toRecord(row);
}

export async function findWorkOrderByExternalRef(db: Reader, externalRef: string): Promise<WorkOrderRecord | null> {
  const row = await db.workOrder.findUnique({ where: { externalRef } });
  return row ? toRecord(row) : null;
}

/** Serialises the transactions that would give a work order `externalRef` (see its unique index). */
export async function lockExternalRef(tx: ProductionTx, externalRef: string): Promise<void> {
  await tx.$executeRawUnsafe("SELECT 1 FROM pg_advisory_xact_lock(hashtext($1))", `work-order-ref:${externalRef}`);
}

export const findWorkOrders = async (db: Reader, ids: readonly string[]): Promise<WorkOrderRecord[]> =>
  (await db.workOrder.findMany({ where: { id: { in: [...ids] } } })).map(toRecord);

/**
 * Reads a work order with a row lock, so state transitions on it (release, start, complete)
 * happen one at a time and each sees the previous one's result.
 */
export async function lockWorkOrder(tx: ProductionTx, id: string): Promise<WorkOrderRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM work_order WHERE id = $1::uuid FOR UPDATE", id);
  const row = await tx.workOrder.findUnique({ where: { id } });
  return row ? toRecord(row) : null;
}

export async function setWorkOrderStatus(
  tx: ProductionTx,
  id: string,
  status: WorkOrderStatus,
): Promise<WorkOrderRecord> {
  return toRecord(await tx.workOrder.update({ where: { id }, data: { status } }));
}

export async function findPhases(db: Reader, workOrderIds: readonly string[]): Promise<Map<string, PhaseRecord[]>> {
  const rows = await db.workOrderPhase.findMany({
    where: { workOrderId: { in: [...workOrderIds] } },
    orderBy: { sequence: "asc" },
  });
  return group(
    rows,
    (row) => row.workOrderId,
    ({ sequence, name, gateId }) => ({ sequence, name, gateId }),
  );
}

export async function findComponents(
  db: Reader,
  workOrderIds: readonly string[],
): Promise<Map<string, BomComponentRecord[]>> {
  const rows = await db.bomComponent.findMany({
    where: { workOrderId: { in: [...workOrderIds] } },
    orderBy: { materialId: "asc" },
  });
  return group(
    rows,
    (row) => row.workOrderId,
    (row) => ({ materialId: row.materialId, quantity: decimalText(row.quantity) }),
  );
}

export interface WorkOrderFilter {
  status?: readonly WorkOrderStatus[] | null;
  lineId?: string | null;
  externalRef?: string | null;
  /** Changed at or after this time (status, runs starting). */
  updatedSince?: Date | null;
}

/** Newest first (highest number); keyset pagination on `number`. Fetches `limit + 1` rows. */
export async function pageWorkOrders(
  db: Reader,
  filter: WorkOrderFilter,
  page: Page,
): Promise<{ rows: WorkOrderRecord[]; totalCount: number }> {
  const where: Prisma.WorkOrderWhereInput = {
    ...(filter.status?.length ? { status: { in: [...filter.status] } } : {}),
    ...(filter.lineId ? { lineId: filter.lineId } : {}),
    ...(filter.externalRef != null ? { externalRef: filter.externalRef } : {}),
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
  };
  const [afterNumber] = page.after ?? [];
  const [rows, totalCount] = await Promise.all([
    db.workOrder.findMany({
      where: afterNumber ? { AND: [where, { number: { lt: Number(afterNumber) } }] } : where,
      orderBy: { number: "desc" },
      take: page.limit + 1,
    }),
    db.workOrder.count({ where }),
  ]);
  return { rows: rows.map(toRecord), totalCount };
}

/** Groups rows by a key, mapped, keeping their order. */
export function group<Row, Key, Value>(
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
  map: (row: Row) => Value,
): Map<Key, Value[]> {
  const grouped = new Map<Key, Value[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(map(row));
    else grouped.set(key, [map(row)]);
  }
  return grouped;
}
