import type { Page } from "@lotgraph/kit";
import type { ExistingLot, ImportLookups } from "../domain/imports/import-plan.ts";
import type { ImportJobRecord, ImportRowErrorRecord } from "../domain/imports/import-records.ts";
import type { RowError } from "../domain/imports/import-format.ts";
import type { LocationRecord, MaterialRecord, PartyRecord } from "../domain/records.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { InventoryTx, Reader } from "./inventory-store.ts";

/** Keys per query: well under PostgreSQL's 65,535 parameters of a statement. */
const CHUNK = 5_000;

async function inChunks<T>(keys: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const distinct = [...new Set(keys)];
  const results: T[] = [];
  for (let i = 0; i < distinct.length; i += CHUNK) results.push(...(await read(distinct.slice(i, i + CHUNK))));
  return results;
}

/** The bulk reads an import plans with, in `db` (a transaction, to re-check a batch before writing it). */
export function importLookups(db: Reader): ImportLookups {
  return {
    materialsBySku: async (skus) =>
      new Map(
        (await inChunks(skus, (sku) => db.material.findMany({ where: { sku: { in: sku } } }))).map(
          (m): [string, MaterialRecord] => [m.sku, m],
        ),
      ),
    locationsByCode: async (codes) =>
      new Map(
        (await inChunks(codes, (code) => db.location.findMany({ where: { code: { in: code } } }))).map(
          (l): [string, LocationRecord] => [l.code, l],
        ),
      ),
    partiesByCode: async (codes) =>
      new Map(
        (await inChunks(codes, (code) => db.party.findMany({ where: { code: { in: code } } }))).map(
          (p): [string, PartyRecord] => [p.code, p],
        ),
      ),
    lotsByCode: async (codes) =>
      new Map((await inChunks(codes, (chunk) => lotsWithReceipt(db, chunk))).map((l) => [l.code, l])),
    externalRefOwners: async (kind, refs) => {
      const owners = await inChunks(refs, async (chunk): Promise<Array<[string, string]>> => {
        const where = { externalRef: { in: chunk } };
        if (kind === "material")
          return (await db.material.findMany({ where, select: { externalRef: true, sku: true } })).map((m) => [
            m.externalRef!,
            m.sku,
          ]);
        if (kind === "party")
          return (await db.party.findMany({ where, select: { externalRef: true, code: true } })).map((p) => [
            p.externalRef!,
            p.code,
          ]);
        return (await db.lot.findMany({ where, select: { externalRef: true, code: true } })).map((l) => [
          l.externalRef!,
          l.code,
        ]);
      });
      return new Map(owners);
    },
  };
}

/** Lots by code with their first movement (what they were received as). */
async function lotsWithReceipt(db: Reader, codes: string[]): Promise<ExistingLot[]> {
  const rows = await db.$queryRawUnsafe<
    Array<{
      code: string;
      material_id: string;
      supplier_id: string | null;
      supplier_lot_code: string | null;
      expires_at: Date | null;
      first_kind: string | null;
      first_quantity: string | null;
      first_location_id: string | null;
      external_ref: string | null;
    }>
  >(
    `SELECT l.code, l.material_id::text, l.supplier_id::text, l.supplier_lot_code, l.expires_at, l.external_ref,
            m.kind::text AS first_kind, m.quantity::text AS first_quantity, m.to_location_id::text AS first_location_id
       FROM lot l
       LEFT JOIN LATERAL (SELECT kind, quantity, to_location_id FROM stock_movement s
                           WHERE s.lot_id = l.id ORDER BY s.seq LIMIT 1) m ON true
      WHERE l.code = ANY($1::text[])`,
    codes,
  );
  return rows.map((r) => ({
    code: r.code,
    materialId: r.material_id,
    supplierId: r.supplier_id,
    supplierLotCode: r.supplier_lot_code,
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
    firstKind: r.first_kind,
    firstQuantity: r.first_quantity,
    firstLocationId: r.first_location_id,
    externalRef: r.external_ref,
  }));
}

/**
 * Supplier lot codes under a standing hold: `${supplierId} ${code}` for these suppliers' holds,
 * and `* ${code}` for a code held whoever delivers it (a recall's).
 */
export async function heldSupplierCodes(tx: InventoryTx, supplierIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.supplierHold.findMany({
    where: { releasedAt: null, OR: [{ supplierId: { in: [...new Set(supplierIds)] } }, { otherSuppliers: true }] },
    select: { supplierId: true, supplierLotCode: true, otherSuppliers: true },
  });
  return new Set(
    rows.flatMap((r) => [
      `${r.supplierId} ${r.supplierLotCode}`,
      ...(r.otherSuppliers ? [`* ${r.supplierLotCode}`] : []),
    ]),
  );
}

export const insertImportJob = (tx: InventoryTx, job: Prisma.ImportJobUncheckedCreateInput) =>
  tx.importJob.create({ data: job, select: { id: true } });

export const findImportJob = (db: Reader, id: string): Promise<ImportJobRecord | null> =>
  db.importJob.findUnique({ where: { id }, omit: { content: true, leaseOwner: true, leaseUntil: true } });

/** The job with its content, for the runner. */
export const loadImportJob = (db: Reader, id: string) => db.importJob.findUnique({ where: { id } });

export function updateImportJob(tx: InventoryTx, id: string, data: Prisma.ImportJobUpdateInput) {
  return tx.importJob.update({ where: { id }, data, select: { id: true } });
}

/** Newest first; keyset pagination on (createdAt, id). Fetches `limit + 1` rows. */
export async function pageImportJobs(db: Reader, page: Page): Promise<{ rows: ImportJobRecord[]; totalCount: number }> {
  const [afterCreatedAt, afterId] = page.after ?? [];
  const where: Prisma.ImportJobWhereInput =
    afterCreatedAt && afterId
      ? {
          OR: [
            { createdAt: { lt: new Date(afterCreatedAt) } },
            { createdAt: new Date(afterCreatedAt), id: { lt: afterId } },
          ],
        }
      : {};
  const [rows, totalCount] = await Promise.all([
    db.importJob.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      omit: { content: true, leaseOwner: true, leaseUntil: true },
    }),
    db.importJob.count(),
  ]);
  return { rows, totalCount };
}

export const importErrors = (
  db: Reader,
  jobId: string,
  first: number,
  offset: number,
): Promise<ImportRowErrorRecord[]> =>
  db.importRowError.findMany({
    where: { jobId },
    orderBy: [{ row: "asc" }, { seq: "asc" }],
    skip: offset,
    take: first,
    select: { row: true, column: true, code: true, message: true },
  });

/** Appends a job's row errors after the `fromSeq` already stored. */
export async function insertImportErrors(tx: InventoryTx, jobId: string, fromSeq: number, errors: readonly RowError[]) {
  for (let i = 0; i < errors.length; i += 1_000)
    await tx.importRowError.createMany({
      data: errors.slice(i, i + 1_000).map((e, j) => ({ jobId, seq: fromSeq + i + j, ...e })),
    });
}

/**
 * Takes the oldest unfinished job nobody holds (queued, or left by a replica whose lease ran
 * out: it stopped or crashed) for `seconds`, or returns null. SKIP LOCKED lets replicas claim
 * different jobs at once instead of queueing on one.
 */
export async function claimImportJob(db: Reader, owner: string, seconds: number): Promise<string | null> {
  const [row] = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE import_job SET lease_owner = $1, lease_until = now() + make_interval(secs => $2::double precision)
      WHERE id = (SELECT id FROM import_job
                   WHERE status IN ('QUEUED', 'VALIDATING', 'RUNNING') AND (lease_until IS NULL OR lease_until < now())
                   ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id::text`,
    owner,
    seconds,
  );
  return row?.id ?? null;
}

/** Extends the lease, in the batch's transaction; false when another replica has taken the job over. */
export async function renewImportLease(tx: InventoryTx, id: string, owner: string, seconds: number): Promise<boolean> {
  const count = await tx.$executeRawUnsafe(
    `UPDATE import_job SET lease_until = now() + make_interval(secs => $3::double precision)
      WHERE id = $1::uuid AND lease_owner = $2`,
    id,
    owner,
    seconds,
  );
  return count === 1;
}

/** Lets the job go at once (a graceful stop), so a restart resumes it without waiting for the lease. */
export async function releaseImportLease(db: Reader, id: string, owner: string): Promise<void> {
  await db.$executeRawUnsafe(
    "UPDATE import_job SET lease_owner = NULL, lease_until = NULL WHERE id = $1::uuid AND lease_owner = $2",
    id,
    owner,
  );
}
