import type { LineRecord } from "../domain/records.ts";
import type { Reader } from "./db.ts";

export const insertLine = (db: Reader, line: LineRecord): Promise<LineRecord> => db.line.create({ data: line });

export const lineCodeTaken = async (db: Reader, code: string): Promise<boolean> =>
  (await db.line.count({ where: { code } })) > 0;

export const findLines = (db: Reader, ids: readonly string[]): Promise<LineRecord[]> =>
  db.line.findMany({ where: { id: { in: [...ids] } } });

export const listLines = (db: Reader): Promise<LineRecord[]> => db.line.findMany({ orderBy: { code: "asc" } });

export const findLineByCode = (db: Reader, code: string): Promise<LineRecord | null> =>
  db.line.findUnique({ where: { code } });
