/**
 * Locking a signer out after repeated wrong signature passwords (21 CFR Part 11 §11.300(d):
 * attempts at unauthorized use are detected and acted on). Five wrong passwords within 15 minutes
 * lock the signer out of signing for 15 minutes; a right one starts the count again.
 */
export const SIGNING_LOCKOUT = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

export interface SigningAttemptsState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

/** Whether the signer may not sign at `now`. */
export function isLockedOut(state: SigningAttemptsState | null, now: Date): boolean {
  return state?.lockedUntil !== null && state?.lockedUntil !== undefined && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more wrong password at `now`, and whether it locked the signer out. */
export function afterFailure(
  state: SigningAttemptsState | null,
  now: Date,
): { next: SigningAttemptsState; lockedOut: boolean } {
  const windowOpen = state && now.getTime() - state.windowStart.getTime() < SIGNING_LOCKOUT.windowMs;
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStart = windowOpen ? state.windowStart : now;
  const lockedOut = failures >= SIGNING_LOCKOUT.failures;
  return {
    next: {
      // A lockout starts a new count: after it, five more wrong passwords lock again.
      failures: lockedOut ? 0 : failures,
      windowStart: lockedOut ? now : windowStart,
      lockedUntil: lockedOut ? new Date(now.getTime() + SIGNING_LOCKOUT.lockMs) : (state?.lockedUntil ?? null),
    },
    lockedOut,
  };
}
