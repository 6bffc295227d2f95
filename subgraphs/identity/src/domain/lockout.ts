/**
 * Locking out after repeated failures (21 CFR Part 11 §11.300(d): attempts at unauthorized use
 * are detected and acted on). A policy says how many failures within a window lock, and for how
 * long; a success starts the count again.
 */
export interface LockoutPolicy {
  failures: number;
  windowMs: number;
  lockMs: number;
}

const MINUTES = 60_000;

/** Five wrong signature passwords within 15 minutes lock the signer out of signing for 15 minutes. */
export const SIGNING_LOCKOUT: LockoutPolicy = { failures: 5, windowMs: 15 * MINUTES, lockMs: 15 * MINUTES };
/** Five failed sign-ins to one account within 15 minutes lock it for 15 minutes. */
export const SIGN_IN_ACCOUNT_LOCKOUT: LockoutPolicy = { failures: 5, windowMs: 15 * MINUTES, lockMs: 15 * MINUTES };
/** Twenty failed sign-ins from one address within 15 minutes (one guesser, many accounts) block it. */
export const SIGN_IN_ADDRESS_LOCKOUT: LockoutPolicy = { failures: 20, windowMs: 15 * MINUTES, lockMs: 15 * MINUTES };

export interface AttemptState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

/** Whether the key is locked at `now`. */
export function isLockedOut(state: AttemptState | null, now: Date): boolean {
  return state?.lockedUntil != null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failure at `now`, and whether it locked the key. */
export function afterFailure(
  policy: LockoutPolicy,
  state: AttemptState | null,
  now: Date,
): { next: AttemptState; lockedOut: boolean } {
  const windowOpen = state && now.getTime() - state.windowStart.getTime() < policy.windowMs;
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStart = windowOpen ? state.windowStart : now;
  const lockedOut = failures >= policy.failures;
  return {
    next: {
      // A lockout starts a new count: after it, as many failures again lock again.
      failures: lockedOut ? 0 : failures,
      windowStart: lockedOut ? now : windowStart,
      lockedUntil: lockedOut ? new Date(now.getTime() + policy.lockMs) : (state?.lockedUntil ?? null),
    },
    lockedOut,
  };
}

/** Whole seconds until a lock ends (at least 1), for Retry-After. */
export const secondsUntil = (until: Date, now: Date): number =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
