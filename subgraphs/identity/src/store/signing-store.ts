import type { SigningAttemptsState } from "../domain/signing-lockout.ts";
import type { IdentityClient, IdentityTx } from "./user-store.ts";

export async function findSigningAttempts(db: IdentityClient | IdentityTx, userId: string) {
  return db.signingAttempts.findUnique({ where: { userId } });
}

/** The signer's attempts, locked for this transaction (created empty on a first attempt). */
export async function lockSigningAttempts(tx: IdentityTx, userId: string, now: Date): Promise<SigningAttemptsState> {
  await tx.$executeRawUnsafe(
    `INSERT INTO signing_attempts (user_id, failures, window_start) VALUES ($1::uuid, 0, $2) ON CONFLICT (user_id) DO NOTHING`,
    userId,
    now,
  );
  await tx.$queryRawUnsafe("SELECT 1 FROM signing_attempts WHERE user_id = $1::uuid FOR UPDATE", userId);
  const row = await tx.signingAttempts.findUnique({ where: { userId } });
  if (!row) throw new Error(`signing attempts of ${userId} vanished under lock`);
  return row;
}

export async function saveSigningAttempts(tx: IdentityTx, userId: string, state: SigningAttemptsState): Promise<void> {
  await tx.signingAttempts.update({ where: { userId }, data: state });
}
