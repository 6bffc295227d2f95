import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { canonicalJson } from "../audit/audit.ts";
import { DomainError } from "../errors.ts";
import type { SqlDriver, SqlExecutor } from "./sql.ts";

/**
 * Whose idempotency keys a request uses: the principal that called the subgraph (a user, a
 * service account, or a Lotgraph service for internal calls). Set around each execution by the
 * subgraph server (useCallerScope), so every mutation's key is scoped without each one passing
 * its caller: an ERP's predictable key cannot be taken first by anyone else, and two users who
 * happen to pick the same key get their own results.
 */
const callerScope = new AsyncLocalStorage<string>();

/** Runs `fn` with `callerId` as the owner of the idempotency keys it uses. */
export function runAsCaller<T>(callerId: string, fn: () => T): T {
  return callerScope.run(callerId, fn);
}

/** The key as stored: the caller's id, then the client's key (unscoped outside a request). */
function scopedKey(key: string): string {
  const caller = callerScope.getStore();
  return caller === undefined ? key : `${caller}\u001f${key}`;
}

/**
 * Makes a mutation safe to retry (DESIGN.md §5): inside the business transaction, the first call
 * with a key runs `fn` and stores its JSON result; a later call with the same key and the same
 * input returns that result without running `fn`; the same key with a different input is a
 * CONFLICT. Calls without a key always run `fn`. Keys belong to the caller (see callerScope).
 */
export async function withIdempotency<T>(
  tx: SqlExecutor,
  scope: string,
  key: string | null | undefined,
  input: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  if (!key) return fn();
  const stored = scopedKey(key);
  const requestHash = hashOfRequest(input);
  // Two concurrent retries with one key queue on its lock instead of both running `fn`; the
  // stored result is read under the lock, in the same statement (kit migration 0005).
  const [existing] = await tx.$queryRawUnsafe<Array<{ request_hash: string; response: T }>>(
    "SELECT request_hash, response FROM idempotency_key_locked($1, $2)",
    scope,
    stored,
  );
  if (existing) {
    if (existing.request_hash !== requestHash) {
      throw new DomainError("CONFLICT", `idempotencyKey "${key}" was already used with a different input`);
    }
    return existing.response;
  }
  const result = await fn();
  await tx.$executeRawUnsafe(
    "INSERT INTO idempotency_key (scope, key, request_hash, response) VALUES ($1, $2, $3, $4::jsonb)",
    scope,
    stored,
    requestHash,
    JSON.stringify(result),
  );
  return result;
}

/**
 * The hash a key's request is compared by. Over JSON with sorted keys: a journalled write's request
 * comes back from a jsonb column with its keys reordered, and recovery completing it must store
 * the same hash as the client's retry will present (decision 0023). Through JSON first, as the
 * journal stores it: dates become strings and undefined fields go.
 */
function hashOfRequest(input: unknown): string {
  const asStored: unknown = input === undefined ? null : JSON.parse(JSON.stringify(input));
  return createHash("sha256").update(canonicalJson(asStored)).digest("hex");
}

/** What {@link storedIdempotentResult} needs of a Database. */
export interface IdempotencyStore {
  driver: SqlDriver;
  transaction<R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R>;
}

/**
 * The stored result of an earlier call with this key and input, or null when there is none (or
 * no key). Mutations that call another service before writing ask this first, so a retry of a
 * call that already completed returns its result without calling the peer again; the same key
 * with a different input is CONFLICT, as in {@link withIdempotency}.
 */
export async function storedIdempotentResult<T>(
  db: IdempotencyStore,
  scope: string,
  key: string | null | undefined,
  input: unknown,
): Promise<T | null> {
  if (!key) return null;
  const rows = await db.driver.query("SELECT 1 FROM idempotency_key WHERE scope = $1 AND key = $2", [
    scope,
    scopedKey(key),
  ]);
  if (rows.length === 0) return null;
  return db.transaction((tx) =>
    withIdempotency<T>(tx, scope, key, input, () => {
      // Rows in idempotency_key are never deleted, so the one just seen is still there.
      throw new Error(`idempotency key ${scope}:${key} disappeared`);
    }),
  );
}
