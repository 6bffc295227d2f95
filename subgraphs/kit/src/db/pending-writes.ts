import { randomUUID } from "node:crypto";
import { DomainError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { runAsCaller } from "./idempotency.ts";
import type { SqlExecutor } from "./sql.ts";

/**
 * A cross-service write journalled before its first call to a peer (decision 0012): what to do,
 * for whom, with every id it will use already chosen, so it can be completed by anyone, later.
 */
export interface PendingWrite<Payload = unknown> {
  id: string;
  operation: string;
  /** Whose idempotency keys the completion uses (runAsCaller). */
  callerId: string;
  payload: Payload;
  attempts: number;
}

/** What the journal needs of a Database: its client, outside any transaction. */
export interface JournalDatabase {
  client: SqlExecutor;
}

/**
 * How long a journalled write belongs to the request that began it: longer than that request's
 * peer calls take (10 s each at most), so recovery never races a request that is still running.
 */
export const PENDING_WRITE_GRACE_MS = 15_000;

/**
 * Journals a write in its own transaction, before the peer is called: if the process dies after
 * the peer committed, recovery finds the row and completes the write. The payload must hold
 * every id the write will use (derived ids, the peer's idempotency key), never a password.
 */
export async function beginPendingWrite<Payload>(
  db: JournalDatabase,
  operation: string,
  callerId: string,
  payload: Payload,
): Promise<PendingWrite<Payload>> {
  const id = randomUUID();
  await db.client.$executeRawUnsafe(
    `INSERT INTO pending_write (id, operation, caller_id, payload, next_attempt_at)
     VALUES ($1::uuid, $2, $3, $4::jsonb, now() + make_interval(secs => $5))`,
    id,
    operation,
    callerId,
    JSON.stringify(payload),
    PENDING_WRITE_GRACE_MS / 1000,
  );
  return { id, operation, callerId, payload, attempts: 0 };
}

/**
 * Completes a journalled write in the caller's (local) transaction, once: the row is locked, so a
 * request and recovery completing the same write queue here, and the second gets the first's
 * result without running `record` again.
 */
export async function completePendingWrite<T>(tx: SqlExecutor, writeId: string, record: () => Promise<T>): Promise<T> {
  const [row] = await tx.$queryRawUnsafe<Array<{ completed_at: Date | null; result: T | null }>>(
    "SELECT completed_at, result FROM pending_write WHERE id = $1::uuid FOR UPDATE",
    writeId,
  );
  if (!row) throw new Error(`pending write ${writeId} is not journalled`);
  if (row.completed_at) return row.result as T;
  const result = await record();
  await tx.$executeRawUnsafe(
    "UPDATE pending_write SET completed_at = now(), outcome = 'completed', result = $2::jsonb WHERE id = $1::uuid",
    writeId,
    JSON.stringify(result ?? null),
  );
  return result;
}

/**
 * The peer refused the write for good (its rule, not its availability): nothing happened there,
 * so there is nothing to complete. Also used when a local check refuses before the peer is called.
 */
export async function abandonPendingWrite(db: JournalDatabase, writeId: string, reason: string): Promise<void> {
  await db.client.$executeRawUnsafe(
    `UPDATE pending_write SET completed_at = now(), outcome = 'abandoned', result = $2::jsonb
     WHERE id = $1::uuid AND completed_at IS NULL`,
    writeId,
    JSON.stringify({ reason }),
  );
}

/**
 * Runs a journalled write's steps: on a refusal by a rule (a DomainError other than
 * SERVICE_UNAVAILABLE) the write is abandoned and the error rethrown; on anything else (a peer
 * away, a crash, a timeout: the outcome is unknown) the journal keeps it for recovery.
 */
export async function runPendingWrite<T>(db: JournalDatabase, writeId: string, steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    if (isRefusal(error)) await abandonPendingWrite(db, writeId, `${error.code}: ${error.message}`);
    throw error;
  }
}

function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code !== "SERVICE_UNAVAILABLE";
}

/** Completes one journalled write of an operation; called by recovery with the journalled payload. */
export type PendingWriteHandler = (write: PendingWrite) => Promise<unknown>;

export interface PendingWriteRecoveryOptions {
  db: JournalDatabase;
  logger: Logger;
  handlers: Record<string, PendingWriteHandler>;
  /** How often the journal is read (default 2 s). */
  intervalMs?: number;
}

export interface PendingWriteRecovery {
  /** Completes every write due now; resolves when done (tests and shutdown use it). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Back-off between attempts at one write: 5 s, 10 s, 20 s … at most 5 min. */
const retryDelaySeconds = (attempts: number) => Math.min(300, 5 * 2 ** Math.min(attempts, 6));
/** Completed and abandoned writes are kept a week: enough to explain an incident, then pruned. */
const KEEP_DAYS = 7;

/**
 * Completes journalled writes whose request did not (a crash, a lost connection, a peer away):
 * each is due once its grace has passed, then retried with back-off until it completes or a
 * rule refuses it. Claiming a write moves its next attempt forward first, so two replicas
 * rarely take the same one, and when they do, completion is idempotent.
 */
export function startPendingWriteRecovery(options: PendingWriteRecoveryOptions): PendingWriteRecovery {
  const { db, logger, handlers } = options;
  let running: Promise<number> | null = null;
  let stopped = false;

  async function completeDue(): Promise<number> {
    let completed = 0;
    for (const write of await dueWrites(db)) {
      if (stopped) break;
      if (!(await claim(db, write))) continue;
      if (await completeOne(db, logger, handlers, { ...write, attempts: write.attempts + 1 })) completed++;
    }
    await db.client.$executeRawUnsafe(
      `DELETE FROM pending_write WHERE completed_at < now() - make_interval(days => $1)`,
      KEEP_DAYS,
    );
    return completed;
  }

  function runOnce(): Promise<number> {
    // One pass at a time: a slow pass is not overlapped by the next tick.
    running ??= completeDue().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => logger.warn({ err: error }, "reading the pending-write journal failed"));
  }, options.intervalMs ?? 2_000);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

type RecoveryDatabase = PendingWriteRecoveryOptions["db"];

/** The oldest writes whose next attempt is due, fifty at a time. */
async function dueWrites(db: RecoveryDatabase): Promise<PendingWrite[]> {
  const rows = await db.client.$queryRawUnsafe<
    Array<{ id: string; operation: string; caller_id: string; payload: unknown; attempts: number }>
  >(
    `SELECT id::text, operation, caller_id, payload, attempts FROM pending_write
     WHERE completed_at IS NULL AND next_attempt_at <= now() ORDER BY created_at LIMIT 50`,
  );
  return rows.map((row) => ({
    id: row.id,
    operation: row.operation,
    callerId: row.caller_id,
    payload: row.payload,
    attempts: row.attempts,
  }));
}

/** Moves the write's next attempt forward; false when another replica took it first. */
async function claim(db: RecoveryDatabase, write: PendingWrite): Promise<boolean> {
  const claimed = await db.client.$executeRawUnsafe(
    `UPDATE pending_write SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
     WHERE id = $1::uuid AND completed_at IS NULL AND next_attempt_at <= now()`,
    write.id,
    retryDelaySeconds(write.attempts),
  );
  return claimed === 1;
}

/** Runs the write's handler as its caller; true when it completed. */
async function completeOne(
  db: RecoveryDatabase,
  logger: PendingWriteRecoveryOptions["logger"],
  handlers: PendingWriteRecoveryOptions["handlers"],
  write: PendingWrite,
): Promise<boolean> {
  const handler = handlers[write.operation];
  const context = { writeId: write.id, operation: write.operation, attempts: write.attempts };
  if (!handler) {
    logger.error(context, "a journalled write has no recovery handler; it stays pending");
    return false;
  }
  try {
    await runAsCaller(write.callerId, () => runPendingWrite(db, write.id, () => handler(write)));
    logger.warn(context, "completed a cross-service write its request left unfinished");
    return true;
  } catch (error) {
    if (isRefusal(error)) logger.warn({ ...context, err: error }, "abandoned a journalled write a rule now refuses");
    else logger.warn({ ...context, err: error }, "a journalled write could not be completed yet; will retry");
    return false;
  }
}
