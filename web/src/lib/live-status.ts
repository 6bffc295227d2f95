"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether the page is receiving live updates: "connecting" before the first socket is up, "live"
 * while one is, "reconnecting" after it dropped (graphql-ws retries on its own).
 */
export type LiveStatus = "connecting" | "live" | "reconnecting";

let status: LiveStatus = "connecting";
const listeners = new Set<() => void>();

export function setLiveStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    subscribe,
    () => status,
    () => "connecting",
  );
}
