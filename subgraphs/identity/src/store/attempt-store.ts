import type { AttemptState } from "../domain/lockout.ts";
import type { IdentityClient, IdentityTx } from "./user-store.ts";

export async function findAttempts(db: IdentityClient | IdentityTx, key: string): Promise<AttemptState | null> {
  return db.attemptCounter.findUnique({ where: { key } });
}

/** The key's attempts, locked for this transaction (created empty on a first attempt). */
export async function lockAttempts(tx: IdentityTx, key: string, now: Date): Promise<AttemptState> {
  await tx.$executeRawUnsafe(
    `INSERT INTO attempt_counter (key, failures, window_start) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING`,
    key,
    now,
  );
  await tx.$queryRawUnsafe("SELECT 1 FROM attempt_counter WHERE key = $1 FOR UPDATE", key);
  const row = await tx.attemptCounter.findUnique({ where: { key } });
  if (!row) throw new Error(`attempts of ${key} vanished under lock`);
  return row;
}

export async function saveAttempts(tx: IdentityTx, key: string, state: AttemptState): Promise<void> {
  await tx.attemptCounter.update({ where: { key }, data: state });
}
