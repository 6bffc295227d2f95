import type { Role } from "@lotgraph/kit";
import type { ServiceAccountRecord, UserRecord } from "../domain/records.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type IdentityClient = PrismaClient;
export type IdentityTx = Prisma.TransactionClient;
type Reader = IdentityClient | IdentityTx;

const userColumns = { id: true, email: true, name: true, roles: true, createdAt: true } as const;

export async function findUserByEmailWithHash(db: Reader, email: string) {
  return db.user.findUnique({ where: { email }, select: { ...userColumns, passwordHash: true } });
}

export async function findUserByIdWithHash(db: Reader, id: string) {
  return db.user.findUnique({ where: { id }, select: { ...userColumns, passwordHash: true } });
}

export async function findUsersByIds(db: Reader, ids: readonly string[]): Promise<UserRecord[]> {
  return db.user.findMany({ where: { id: { in: [...ids] } }, select: userColumns });
}

export async function insertUser(
  tx: IdentityTx,
  user: UserRecord & { passwordHash: string; createdById: string | null },
): Promise<UserRecord> {
  return tx.user.create({ data: user, select: userColumns });
}

export async function emailTaken(tx: IdentityTx, email: string): Promise<boolean> {
  return (await tx.user.count({ where: { email } })) > 0;
}

export async function countUsers(db: Reader): Promise<number> {
  return db.user.count();
}

export async function insertServiceAccount(
  tx: IdentityTx,
  account: { id: string; name: string; roles: Role[]; createdById: string | null },
): Promise<ServiceAccountRecord> {
  return tx.serviceAccount.create({ data: account });
}

export async function serviceAccountNameTaken(tx: IdentityTx, name: string): Promise<boolean> {
  return (await tx.serviceAccount.count({ where: { name } })) > 0;
}

/** A page of people by name (then id, for a stable order among namesakes), after a [name, id] key. */
export async function pageUsers(
  db: Reader,
  after: [string, string] | null,
  limit: number,
): Promise<{ rows: UserRecord[]; total: number }> {
  const where = after ? { OR: [{ name: { gt: after[0] } }, { name: after[0], id: { gt: after[1] } }] } : {};
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: limit + 1, select: userColumns }),
    db.user.count(),
  ]);
  return { rows, total };
}

export async function listServiceAccounts(db: Reader): Promise<ServiceAccountRecord[]> {
  return db.serviceAccount.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
}

export async function findServiceAccountsByIds(db: Reader, ids: readonly string[]): Promise<ServiceAccountRecord[]> {
  return db.serviceAccount.findMany({ where: { id: { in: [...ids] } } });
}
