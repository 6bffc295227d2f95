"use client";

import { useRef } from "react";

/**
 * The idempotency key of one attempt: the same key while the operator retries the same thing (a
 * second Enter, a tap on a slow button, a retry after a lost answer), so the API does it once; a
 * new key once it succeeded or the operator changed what they are asking for.
 */
export function useAttemptKey() {
  const key = useRef<string | null>(null);
  return {
    current(): string {
      key.current ??= crypto.randomUUID();
      return key.current;
    },
    renew(): void {
      key.current = null;
    },
  };
}
