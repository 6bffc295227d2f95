import type { Page } from "@lotgraph/kit";
import type {
  LocationRecord,
  LotFilter,
  LotRecord,
  MasterDataFilter,
  MaterialRecord,
  New,
  PartyRecord,
} from "../domain/records.ts";
import { Prisma, type Lot, type PrismaClient } from "../generated/prisma/client.ts";

export type InventoryClient = PrismaClient;
export type InventoryTx = Prisma.TransactionClient;
export type Reader = InventoryClient | InventoryTx;

/** A unique index refused the row: a concurrent writer took the same code first. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export function toLotRecord(lot: Lot): LotRecord {
  return { ...lot, quantity: lot.quantity.toString() };
}

export const findMaterials = (db: Reader, ids: readonly string[]): Promise<MaterialRecord[]> =>
  db.material.findMany({ where: { id: { in: [...ids] } } });
export const findLocations = (db: Reader, ids: readonly string[]): Promise<LocationRecord[]> =>
  db.location.findMany({ where: { id: { in: [...ids] } } });
export const findParties = (db: Reader, ids: readonly string[]): Promise<PartyRecord[]> =>
  db.party.findMany({ where: { id: { in: [...ids] } } });
export const findLots = async (db: Reader, ids: readonly string[]): Promise<LotRecord[]> =>
  (await db.lot.findMany({ where: { id: { in: [...ids] } } })).map(toLotRecord);

export const findMaterialBySku = (db: Reader, sku: string): Promise<MaterialRecord | null> =>
  db.material.findUnique({ where: { sku } });
export const findLocationByCode = (db: Reader, code: string): Promise<LocationRecord | null> =>
  db.location.findUnique({ where: { code } });
export const findPartyByCode = (db: Reader, code: string): Promise<PartyRecord | null> =>
  db.party.findUnique({ where: { code } });

export async function findLotByCode(db: Reader, code: string): Promise<LotRecord | null> {
  const lot = await db.lot.findUnique({ where: { code } });
  return lot ? toLotRecord(lot) : null;
}

export async function findLotByExternalRef(db: Reader, externalRef: string): Promise<LotRecord | null> {
  const lot = await db.lot.findUnique({ where: { externalRef } });
  return lot ? toLotRecord(lot) : null;
}

/** The where of a master data list: active only unless asked, changed since, by ERP key. */
function masterDataWhere(filter: MasterDataFilter) {
  return {
    ...(filter.includeInactive ? {} : { deactivatedAt: null }),
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
    ...(filter.externalRef ? { externalRef: filter.externalRef } : {}),
  };
}

export const listLocations = (db: Reader, filter: Omit<MasterDataFilter, "externalRef">): Promise<LocationRecord[]> =>
  db.location.findMany({ where: masterDataWhere(filter), orderBy: { code: "asc" } });
export const listParties = (
  db: Reader,
  kind: PartyRecord["kind"] | null,
  filter: MasterDataFilter,
): Promise<PartyRecord[]> =>
  db.party.findMany({ where: { ...masterDataWhere(filter), ...(kind ? { kind } : {}) }, orderBy: { code: "asc" } });

function lotWhere(filter: LotFilter): Prisma.LotWhereInput {
  return {
    ...(filter.materialId ? { materialId: filter.materialId } : {}),
    ...(filter.status?.length ? { status: { in: [...filter.status] } } : {}),
    ...(filter.locationId ? { locationId: filter.locationId } : {}),
    ...(filter.supplierId ? { supplierId: filter.supplierId } : {}),
    ...(filter.codePrefix ? { code: { startsWith: filter.codePrefix, mode: "insensitive" as const } } : {}),
    ...(filter.supplierLotCode ? { supplierLotCode: filter.supplierLotCode } : {}),
    ...(filter.expiringBefore ? { expiresAt: { lt: filter.expiringBefore } } : {}),
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
    ...(filter.externalRef ? { externalRef: filter.externalRef } : {}),
    ...(filter.createdFrom || filter.createdBefore
      ? {
          createdAt: {
            ...(filter.createdFrom ? { gte: filter.createdFrom } : {}),
            ...(filter.createdBefore ? { lt: filter.createdBefore } : {}),
          },
        }
      : {}),
  };
}

/** Newest first; keyset pagination on (createdAt, id). Fetches `limit + 1` rows. */
export async function pageLots(
  db: Reader,
  filter: LotFilter,
  page: Page,
): Promise<{ rows: LotRecord[]; totalCount: number }> {
  const where = lotWhere(filter);
  const [afterCreatedAt, afterId] = page.after ?? [];
  const after: Prisma.LotWhereInput =
    afterCreatedAt && afterId
      ? {
          OR: [
            { createdAt: { lt: new Date(afterCreatedAt) } },
            { createdAt: new Date(afterCreatedAt), id: { lt: afterId } },
          ],
        }
      : {};
  const [rows, totalCount] = await Promise.all([
    db.lot.findMany({
      where: { AND: [where, after] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
    }),
    db.lot.count({ where }),
  ]);
  return { rows: rows.map(toLotRecord), totalCount };
}

export async function pageMaterials(
  db: Reader,
  filter: MasterDataFilter,
  page: Page,
): Promise<{ rows: MaterialRecord[]; totalCount: number }> {
  const [afterSku] = page.after ?? [];
  const where = masterDataWhere(filter);
  const [rows, totalCount] = await Promise.all([
    db.material.findMany({
      where: { ...where, ...(afterSku ? { sku: { gt: afterSku } } : {}) },
      orderBy: { sku: "asc" },
      take: page.limit + 1,
    }),
    db.material.count({ where }),
  ]);
  return { rows, totalCount };
}

export const insertMaterial = (tx: InventoryTx, data: New<MaterialRecord>): Promise<MaterialRecord> =>
  tx.material.create({ data });
export const insertLocation = (tx: InventoryTx, data: New<LocationRecord>): Promise<LocationRecord> =>
  tx.location.create({ data });
export const insertParty = (tx: InventoryTx, data: New<PartyRecord>): Promise<PartyRecord> => tx.party.create({ data });

/** Master data changes: only the fields given; updated_at is the database's (a trigger). */
export const updateMaterial = (
  tx: InventoryTx,
  id: string,
  data: Partial<Omit<MaterialRecord, "id" | "sku" | "createdAt" | "updatedAt">>,
): Promise<MaterialRecord> => tx.material.update({ where: { id }, data });
export const updateLocation = (
  tx: InventoryTx,
  id: string,
  data: Partial<Pick<LocationRecord, "name" | "parentId" | "deactivatedAt">>,
): Promise<LocationRecord> => tx.location.update({ where: { id }, data });
export const updateParty = (
  tx: InventoryTx,
  id: string,
  data: Partial<Pick<PartyRecord, "name" | "externalRef" | "deactivatedAt">>,
): Promise<PartyRecord> => tx.party.update({ where: { id }, data });
export async function setLotExternalRef(tx: InventoryTx, id: string, externalRef: string | null): Promise<LotRecord> {
  return toLotRecord(await tx.lot.update({ where: { id }, data: { externalRef } }));
}

/** Whether another row of `kind` than `exceptId` has this ERP key. */
export async function externalRefTaken(
  tx: Reader,
  kind: "material" | "party" | "lot" | "shipment",
  externalRef: string,
  exceptId: string | null = null,
): Promise<boolean> {
  const where = { externalRef, ...(exceptId ? { id: { not: exceptId } } : {}) };
  const count = {
    material: () => tx.material.count({ where }),
    party: () => tx.party.count({ where }),
    lot: () => tx.lot.count({ where }),
    shipment: () => tx.shipment.count({ where }),
  }[kind];
  return (await count()) > 0;
}

export const materialHasLots = async (tx: Reader, materialId: string) =>
  (await tx.lot.count({ where: { materialId } })) > 0;

/** The ids from `id` up to its site (itself first), to keep the location tree acyclic. */
export async function locationLineage(tx: Reader, id: string): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    `WITH RECURSIVE up(id, parent_id, depth) AS (
       SELECT id, parent_id, 0 FROM location WHERE id = $1::uuid
       UNION ALL
       SELECT l.id, l.parent_id, up.depth + 1 FROM location l JOIN up ON l.id = up.parent_id WHERE up.depth < 64
     ) SELECT id::text AS id FROM up ORDER BY depth`,
    id,
  );
  return rows.map((row) => row.id);
}

export async function insertLot(tx: InventoryTx, lot: New<LotRecord>): Promise<LotRecord> {
  return toLotRecord(await tx.lot.create({ data: lot }));
}

export const skuTaken = async (tx: Reader, sku: string) => (await tx.material.count({ where: { sku } })) > 0;
export const locationCodeTaken = async (tx: Reader, code: string) => (await tx.location.count({ where: { code } })) > 0;
export const partyCodeTaken = async (tx: Reader, code: string) => (await tx.party.count({ where: { code } })) > 0;
export const lotCodeTaken = async (tx: Reader, code: string) => (await tx.lot.count({ where: { code } })) > 0;

export const findMaterial = (tx: Reader, id: string): Promise<MaterialRecord | null> =>
  tx.material.findUnique({ where: { id } });
export const findLocation = (tx: Reader, id: string): Promise<LocationRecord | null> =>
  tx.location.findUnique({ where: { id } });
export const findParty = (tx: Reader, id: string): Promise<PartyRecord | null> =>
  tx.party.findUnique({ where: { id } });
