"use client";

import { useEffect, useRef } from "react";
import { useQuery, useSubscription } from "urql";
import type { RunConsoleFragment } from "@/gql/graphql";
import { MassBalanceQuery, RunChangedSubscription, RunConsoleQuery } from "./operations";

export type Run = RunConsoleFragment;

/** At most one re-read per this many ms, however many events a busy run sends. */
const REFRESH_EVERY_MS = 500;

/** When the mass balance is read again after a change: the genealogy projects it a moment later. */
const GENEALOGY_LAG_MS = [1500, 4000];

/**
 * One run as the API has it now: any change to it (an operator's scan here or at another tablet,
 * a quality decision) re-reads the run and its mass balance, throttled. The mass balance comes
 * from the genealogy, which follows production a moment later, so it is read again shortly after.
 */
export function useRun(id: string) {
  const [run, refetchRun] = useQuery({ query: RunConsoleQuery, variables: { id }, requestPolicy: "cache-and-network" });
  const [balance, refetchBalance] = useQuery({
    query: MassBalanceQuery,
    variables: { runId: id },
    requestPolicy: "cache-and-network",
  });
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const late = useRef<ReturnType<typeof setTimeout>[]>([]);

  const refresh = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      refetchRun({ requestPolicy: "network-only" });
      refetchBalance({ requestPolicy: "network-only" });
      late.current.forEach(clearTimeout);
      late.current = GENEALOGY_LAG_MS.map((ms) =>
        setTimeout(() => refetchBalance({ requestPolicy: "network-only" }), ms),
      );
    }, REFRESH_EVERY_MS);
  };

  useSubscription({ query: RunChangedSubscription, variables: { runId: id } }, () => {
    refresh();
    return undefined;
  });
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
      late.current.forEach(clearTimeout);
    },
    [],
  );

  return {
    run: run.data?.run ?? null,
    gates: run.data?.qcGates ?? [],
    locations: run.data?.locations ?? [],
    loaded: run.data !== undefined,
    error: run.error,
    balance: balance.data?.massBalance ?? null,
    balanceError: balance.error,
    balanceLoading: balance.fetching,
    /** After this tablet changed the run: the event will follow, but the operator should not wait for it. */
    refresh,
    retry: () => refetchRun({ requestPolicy: "network-only" }),
  };
}
