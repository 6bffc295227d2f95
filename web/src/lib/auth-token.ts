"use client";

import { useSyncExternalStore } from "react";

/*
 * The session token lives in localStorage for now. Trade-off: any script running on this origin
 * (an XSS bug, a compromised dependency) can read it, and server components cannot see it, so
 * every authenticated page renders on the client. The planned fix is an httpOnly, SameSite=Strict
 * cookie set by a route handler, which also lets the server render authenticated pages.
 */
const STORAGE_KEY = "lotgraph.token";

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

export function readToken(): string | null {
  if (typeof window === "undefined") return null;
  return window.localStorage.getItem(STORAGE_KEY);
}

export function saveToken(token: string): void {
  window.localStorage.setItem(STORAGE_KEY, token);
  notify();
}

export function clearToken(): void {
  window.localStorage.removeItem(STORAGE_KEY);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Signing out in another tab signs this one out too.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/**
 * The current token: a string, `null` when signed out, or `undefined` before hydration, when the
 * browser storage has not been read yet (the server never knows whether anyone is signed in).
 */
export function useAuthToken(): string | null | undefined {
  return useSyncExternalStore<string | null | undefined>(subscribe, readToken, () => undefined);
}
