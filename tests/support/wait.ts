import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 25 ms). */
  intervalMs?: number;
}

/**
 * Retries `assertion` until it stops throwing, then returns its result; after the deadline the
 * last failure is rethrown, so a test fails with the real assertion message instead of a bare
 * timeout.
 */
export async function eventually<T>(assertion: () => T | Promise<T>, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await sleep(options.intervalMs ?? 25);
  }
}

/** Waits until `condition` holds; fails with `description` after the deadline. */
export async function waitFor(
  description: string,
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  await eventually(async () => {
    if (!(await condition())) throw new Error(`timed out waiting for: ${description}`);
  }, options);
}

/** A promise with its resolve function exposed, to hold a handler mid-message. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
