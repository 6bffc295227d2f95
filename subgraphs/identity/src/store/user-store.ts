import type { Role } from "@lotgraph/kit";
import type { ServiceAccountRecord, UserRecord } from "../domain/records.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type IdentityClient = PrismaClient;
export type IdentityTx = Prisma.TransactionClient;
type Reader = IdentityClient | IdentityTx;

const userColumns = {
  id: true,
  email: true,
  name: true,
  roles: true,
  createdAt: true,
  deactivatedAt: true,
} as const;
const serviceAccountColumns = {
  id: true,
  name: true,
  roles: true,
  createdAt: true,
  createdById: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  trustedDocumentsOnly: true,
} as const;

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
  account: {
    id: string;
    name: string;
    roles: Role[];
    createdById: string | null;
    tokenId: string;
    expiresAt: Date;
    trustedDocumentsOnly: boolean;
  },
): Promise<ServiceAccountRecord> {
  return tx.serviceAccount.create({ data: account, select: serviceAccountColumns });
}

export async function serviceAccountNameTaken(tx: IdentityTx, name: string): Promise<boolean> {
  return (await tx.serviceAccount.count({ where: { name } })) > 0;
}

/** A page of people by name (then id, for a stable order among namesakes), after a [name, id] key. */
export async function pageUsers(
  db: Reader,
  after: [string, string] | null,
  limit: number,
  updatedSince: Date | null = null,
): Promise<{ rows: UserRecord[]; total: number }> {
  const filter = updatedSince ? { updatedAt: { gte: updatedSince } } : {};
  const where = after
    ? { ...filter, OR: [{ name: { gt: after[0] } }, { name: after[0], id: { gt: after[1] } }] }
    : filter;
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: limit + 1, select: userColumns }),
    db.user.count({ where: filter }),
  ]);
  return { rows, total };
}

export async function listServiceAccounts(db: Reader): Promise<ServiceAccountRecord[]> {
  return db.serviceAccount.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }], select: serviceAccountColumns });
}

export async function findServiceAccountsByIds(db: Reader, ids: readonly string[]): Promise<ServiceAccountRecord[]> {
  return db.serviceAccount.findMany({ where: { id: { in: [...ids] } }, select: serviceAccountColumns });
}

/** A user's row locked for an update in this transaction (null: no such user). */
export async function lockUser(tx: IdentityTx, id: string): Promise<UserRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM user_account WHERE id = $1::uuid FOR UPDATE", id);
  const [user] = await findUsersByIds(tx, [id]);
  return user ?? null;
}

/** A service account's row locked for an update in this transaction (null: no such account). */
export async function lockServiceAccount(tx: IdentityTx, id: string): Promise<ServiceAccountRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM service_account WHERE id = $1::uuid FOR UPDATE", id);
  const [account] = await findServiceAccountsByIds(tx, [id]);
  return account ?? null;
}

/** Identity's advisory lock on who administers Lotgraph (any 64-bit number of its own). */
const ADMINISTRATION_LOCK = 0x1d_e471_7701;

/**
 * Makes changes to people take turns until commit: two administrators demoting or deactivating
 * each other at once cannot both pass the "one must remain" check, nor deadlock on each other's
 * rows. Taken before any row is read; such changes are rare.
 */
export async function lockAdministration(tx: IdentityTx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(${ADMINISTRATION_LOCK})`);
}

/** Active administrators other than `exceptId` (under {@link lockAdministration}). */
export async function otherActiveAdmins(tx: IdentityTx, exceptId: string): Promise<number> {
  const rows = await tx.$queryRawUnsafe<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM user_account
     WHERE deactivated_at IS NULL AND 'ADMIN' = ANY(roles) AND id <> $1::uuid`,
    exceptId,
  );
  return rows[0]?.n ?? 0;
}

export async function updateUserRow(
  tx: IdentityTx,
  id: string,
  data: { name?: string; roles?: Role[]; deactivatedAt?: Date; passwordHash?: string },
): Promise<void> {
  await tx.user.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
}

export async function updateServiceAccountRow(
  tx: IdentityTx,
  id: string,
  data: { tokenId?: string; expiresAt?: Date; revokedAt?: Date; revokedById?: string },
): Promise<void> {
  await tx.serviceAccount.update({ where: { id }, data });
}

/** Every person and service account as the credential list shows them (small: a plant's staff). */
export async function credentialRows(db: Reader) {
  const [users, accounts] = await Promise.all([
    db.user.findMany({ select: { id: true, name: true, roles: true, deactivatedAt: true } }),
    db.serviceAccount.findMany({
      select: {
        id: true,
        name: true,
        roles: true,
        tokenId: true,
        expiresAt: true,
        revokedAt: true,
        trustedDocumentsOnly: true,
      },
    }),
  ]);
  return { users, accounts };
}

/** Records when service accounts were last seen calling (never moves a time backwards). */
export async function recordServiceAccountUses(
  db: Reader,
  uses: ReadonlyArray<{ id: string; at: Date }>,
): Promise<void> {
  // A handful per refresh (the accounts that called since the last one): a statement each.
  for (const use of uses) {
    await db.serviceAccount.updateMany({
      where: { id: use.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: use.at } }] },
      data: { lastUsedAt: use.at },
    });
  }
}
