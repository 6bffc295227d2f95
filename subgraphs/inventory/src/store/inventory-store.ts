import type { Page } from "@lotgraph/kit";
import type { LocationRecord, LotFilter, LotRecord, MaterialRecord, PartyRecord } from "../domain/records.ts";
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

export const listLocations = (db: Reader): Promise<LocationRecord[]> =>
  db.location.findMany({ orderBy: { code: "asc" } });
export const listParties = (db: Reader, kind: PartyRecord["kind"] | null): Promise<PartyRecord[]> =>
  db.party.findMany({ where: kind ? { kind } : {}, orderBy: { code: "asc" } });

function lotWhere(filter: LotFilter): Prisma.LotWhereInput {
  return {
    ...(filter.materialId ? { materialId: filter.materialId } : {}),
    ...(filter.status?.length ? { status: { in: [...filter.status] } } : {}),
    ...(filter.locationId ? { locationId: filter.locationId } : {}),
    ...(filter.supplierId ? { supplierId: filter.supplierId } : {}),
    ...(filter.codePrefix ? { code: { startsWith: filter.codePrefix, mode: "insensitive" as const } } : {}),
    ...(filter.supplierLotCode ? { supplierLotCode: filter.supplierLotCode } : {}),
    ...(filter.expiringBefore ? { expiresAt: { lt: filter.expiringBefore } } : {}),
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

export async function pageMaterials(db: Reader, page: Page): Promise<{ rows: MaterialRecord[]; totalCount: number }> {
  const [afterSku] = page.after ?? [];
  const [rows, totalCount] = await Promise.all([
    db.material.findMany({
      where: afterSku ? { sku: { gt: afterSku } } : {},
      orderBy: { sku: "asc" },
      take: page.limit + 1,
    }),
    db.material.count(),
  ]);
  return { rows, totalCount };
}

export const insertMaterial = (tx: InventoryTx, data: MaterialRecord): Promise<MaterialRecord> =>
  tx.material.create({ data });
export const insertLocation = (tx: InventoryTx, data: LocationRecord): Promise<LocationRecord> =>
  tx.location.create({ data });
export const insertParty = (tx: InventoryTx, data: PartyRecord): Promise<PartyRecord> => tx.party.create({ data });

export async function insertLot(tx: InventoryTx, lot: LotRecord): Promise<LotRecord> {
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
