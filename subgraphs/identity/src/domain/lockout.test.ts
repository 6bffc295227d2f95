import { describe, expect, it } from "vitest";
import { SIGNING_LOCKOUT, SIGN_IN_ADDRESS_LOCKOUT, afterFailure, isLockedOut, type AttemptState } from "./lockout.ts";

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 5, 8, 0) + minutes * 60_000);

describe("lockouts", () => {
  it("locks after five wrong passwords within 15 minutes, for 15 minutes", () => {
    let state: AttemptState | null = null;
    for (let i = 0; i < 4; i++) {
      const { next, lockedOut } = afterFailure(SIGNING_LOCKOUT, state, at(i * 3));
      expect(lockedOut).toBe(false);
      state = next;
    }
    expect(isLockedOut(state, at(12))).toBe(false);
    const fifth = afterFailure(SIGNING_LOCKOUT, state, at(14));
    expect(fifth.lockedOut).toBe(true);
    expect(fifth.next.lockedUntil).toEqual(at(14 + 15));
    expect(isLockedOut(fifth.next, at(28.99))).toBe(true);
    expect(isLockedOut(fifth.next, at(29))).toBe(false);
  });

  it("counts only the failures of the window", () => {
    let state: AttemptState | null = null;
    for (let i = 0; i < 4; i++) state = afterFailure(SIGNING_LOCKOUT, state, at(i)).next;
    // The fifth comes 15 minutes after the first: a new window starts, nothing is locked.
    const late = afterFailure(SIGNING_LOCKOUT, state, at(SIGNING_LOCKOUT.windowMs / 60_000));
    expect(late.lockedOut).toBe(false);
    expect(late.next.failures).toBe(1);
  });

  it("gives an address more room than an account", () => {
    let state: AttemptState | null = null;
    for (let i = 1; i < SIGN_IN_ADDRESS_LOCKOUT.failures; i++) {
      const step = afterFailure(SIGN_IN_ADDRESS_LOCKOUT, state, at(i * 0.1));
      expect(step.lockedOut, `failure ${i}`).toBe(false);
      state = step.next;
    }
    expect(afterFailure(SIGN_IN_ADDRESS_LOCKOUT, state, at(3)).lockedOut).toBe(true);
  });
});
