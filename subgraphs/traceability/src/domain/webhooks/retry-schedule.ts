/** The longest wait between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is DEAD. */
  maxAttempts: number;
  /** The wait after the first failure; each later wait doubles, up to {@link MAX_RETRY_DELAY_MS}. */
  baseDelayMs: number;
}

/**
 * When to try again after the `attempts`-th failure, or null when that was the last attempt.
 * Exponential with "full jitter" over the upper half (AWS's advice): receivers that came back
 * after an outage are not hit by every delivery in the same second.
 */
export function nextAttemptDelay(
  policy: RetryPolicy,
  attempts: number,
  random: () => number = Math.random,
): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
