"use client";

import { useEffect, useRef } from "react";
import { useQuery, useSubscription } from "urql";
import { DecisionRecordedSignal, HoldPlacedSignal, HoldReleasedSignal } from "@/lib/live-signals";
import { FloorQuery, FloorRunChanged } from "./operations";

/** At most one refetch per this many ms, however many events arrive (a busy line sends bursts). */
const REFRESH_EVERY_MS = 500;

/**
 * The floor's data, kept current: any run change, hold or decision anywhere re-reads the whole
 * (small) dashboard query, at most twice a second. Simpler and safer than patching the cache
 * event by event: the screen always shows what the API says now.
 */
export function useFloor() {
  const [result, refetch] = useQuery({ query: FloorQuery, requestPolicy: "cache-and-network" });
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onEvent = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      refetch({ requestPolicy: "network-only" });
    }, REFRESH_EVERY_MS);
    return undefined;
  };
  useSubscription({ query: FloorRunChanged }, onEvent);
  useSubscription({ query: HoldPlacedSignal }, onEvent);
  useSubscription({ query: HoldReleasedSignal }, onEvent);
  useSubscription({ query: DecisionRecordedSignal }, onEvent);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current)), []);
  return { ...result, refresh: () => refetch({ requestPolicy: "network-only" }) };
}
