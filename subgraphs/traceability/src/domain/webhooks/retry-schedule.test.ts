import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, nextAttemptDelay } from "./retry-schedule.ts";

describe("the webhook retry schedule", () => {
  const policy = { maxAttempts: 15, baseDelayMs: 10_000 };

  it("doubles the wait after each failure, between half and all of it", () => {
    expect(nextAttemptDelay(policy, 1, () => 0)).toBe(5_000);
    expect(nextAttemptDelay(policy, 1, () => 1)).toBe(10_000);
    expect(nextAttemptDelay(policy, 2, () => 1)).toBe(20_000);
    expect(nextAttemptDelay(policy, 5, () => 1)).toBe(160_000);
  });

  it("never waits more than six hours, and stops after the last attempt", () => {
    expect(nextAttemptDelay(policy, 11, () => 1)).toBe(10_240_000);
    expect(nextAttemptDelay(policy, 13, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextAttemptDelay(policy, 15)).toBeNull();
    expect(nextAttemptDelay({ maxAttempts: 1, baseDelayMs: 10 }, 1)).toBeNull();
  });

  it("spans about a day with the defaults before dead letter", () => {
    let total = 0;
    for (let attempt = 1; attempt < policy.maxAttempts; attempt++) total += nextAttemptDelay(policy, attempt, () => 1)!;
    expect(total / 3_600_000).toBeCloseTo(23.7, 0);
  });
});
