import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type QualityClient = PrismaClient;
export type QualityTx = Prisma.TransactionClient;
export type Reader = QualityClient | QualityTx;

/** Groups rows under a key, keeping their order. */
export function group<R, V>(rows: readonly R[], keyOf: (row: R) => string, valueOf: (row: R) => V): Map<string, V[]> {
  const grouped = new Map<string, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(valueOf(row));
    else grouped.set(key, [valueOf(row)]);
  }
  return grouped;
}
