import type { LineRecord } from "../domain/records.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { ProductionTx, Reader } from "./db.ts";

export type NewLine = Pick<LineRecord, "id" | "code" | "name" | "createdAt">;

export const insertLine = (db: Reader, line: NewLine): Promise<LineRecord> => db.line.create({ data: line });

export const lineCodeTaken = async (db: Reader, code: string, exceptId?: string): Promise<boolean> =>
  (await db.line.count({ where: { code, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0;

export const findLines = (db: Reader, ids: readonly string[]): Promise<LineRecord[]> =>
  db.line.findMany({ where: { id: { in: [...ids] } } });

export interface LineFilter {
  updatedSince?: Date | null;
  active?: boolean | null;
}

export const listLines = (db: Reader, filter: LineFilter = {}): Promise<LineRecord[]> => {
  const where: Prisma.LineWhereInput = {
    ...(filter.updatedSince ? { updatedAt: { gte: filter.updatedSince } } : {}),
    ...(filter.active != null ? { active: filter.active } : {}),
  };
  return db.line.findMany({ where, orderBy: { code: "asc" } });
};

export const findLineByCode = (db: Reader, code: string): Promise<LineRecord | null> =>
  db.line.findUnique({ where: { code } });

/** Reads a line with a row lock, so a deactivation and a write that needs the line active serialise. */
export async function lockLine(tx: ProductionTx, id: string): Promise<LineRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM line WHERE id = $1::uuid FOR SHARE", id);
  return tx.line.findUnique({ where: { id } });
}

/** {@link lockLine} for a write that changes the line. */
export async function lockLineForUpdate(tx: ProductionTx, id: string): Promise<LineRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM line WHERE id = $1::uuid FOR UPDATE", id);
  return tx.line.findUnique({ where: { id } });
}

export const updateLine = (
  tx: ProductionTx,
  id: string,
  data: Partial<Pick<LineRecord, "code" | "name" | "active" | "deactivatedAt">>,
): Promise<LineRecord> => tx.line.update({ where: { id }, data });
