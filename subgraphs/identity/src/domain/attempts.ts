import type { Database } from "@lotgraph/kit";
import { findAttempts, lockAttempts, saveAttempts } from "../store/attempt-store.ts";
import type { IdentityClient, IdentityTx } from "../store/user-store.ts";
import { afterFailure, isLockedOut, type AttemptState, type LockoutPolicy } from "./lockout.ts";

/** Where a key stands: locked until when, if it is. */
export async function lockedUntil(
  db: Database<IdentityClient, IdentityTx>,
  key: string,
  now: Date,
): Promise<Date | null> {
  const state = await findAttempts(db.client, key);
  return isLockedOut(state, now) ? state!.lockedUntil : null;
}

/** The outcome of recording one attempt under a key's row lock. */
export interface Counted {
  /** Set when the key was locked already (the attempt was refused unseen) or this failure locked it. */
  lockedUntil: Date | null;
  /** This failure is the one that locked the key. */
  lockedNow: boolean;
  /** Failures in the current window after this attempt. */
  failures: number;
}

/**
 * Records a success (the count starts again) or a failure (one more, maybe a lock) of `key`, in
 * the caller's transaction and under the key's row lock: concurrent attempts count once each.
 * An attempt arriving while the key is locked counts as refused and changes nothing.
 */
export async function countAttempt(
  tx: IdentityTx,
  key: string,
  policy: LockoutPolicy,
  succeeded: boolean,
  now: Date,
): Promise<Counted> {
  const state: AttemptState = await lockAttempts(tx, key, now);
  if (isLockedOut(state, now)) return { lockedUntil: state.lockedUntil, lockedNow: false, failures: state.failures };
  if (succeeded) {
    await saveAttempts(tx, key, { failures: 0, windowStart: now, lockedUntil: null });
    return { lockedUntil: null, lockedNow: false, failures: 0 };
  }
  const { next, lockedOut } = afterFailure(policy, state, now);
  await saveAttempts(tx, key, next);
  return {
    lockedUntil: lockedOut ? next.lockedUntil : null,
    lockedNow: lockedOut,
    failures: lockedOut ? policy.failures : next.failures,
  };
}
