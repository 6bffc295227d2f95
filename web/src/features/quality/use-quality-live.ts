"use client";

import { useEffect, useRef, useState } from "react";
import { useSubscription } from "urql";
import { DecisionRecordedSignal, HoldPlacedSignal, HoldReleasedSignal } from "@/lib/live-signals";

/** At most one re-read per this many ms, however many events arrive (a propagated hold sends one per lot). */
const REFRESH_EVERY_MS = 500;

/**
 * Counters that move when holds or decisions change anywhere in the plant; the lists re-read
 * themselves when theirs moves. Re-reading beats patching the lists event by event: what is
 * shown is always what the API says now.
 */
export function useQualityLive() {
  const [revisions, setRevisions] = useState({ holds: 0, decisions: 0 });
  const pending = useRef<{ holds: boolean; decisions: boolean }>({ holds: false, decisions: false });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const bump = (kind: "holds" | "decisions") => {
    pending.current[kind] = true;
    if (timer.current) return undefined;
    timer.current = setTimeout(() => {
      timer.current = null;
      const { holds, decisions } = pending.current;
      pending.current = { holds: false, decisions: false };
      setRevisions((r) => ({ holds: r.holds + (holds ? 1 : 0), decisions: r.decisions + (decisions ? 1 : 0) }));
    }, REFRESH_EVERY_MS);
    return undefined;
  };
  useSubscription({ query: HoldPlacedSignal }, () => bump("holds"));
  useSubscription({ query: HoldReleasedSignal }, () => bump("holds"));
  // A HOLD or FAIL also places holds, so a decision moves both.
  useSubscription({ query: DecisionRecordedSignal }, () => {
    bump("decisions");
    return bump("holds");
  });
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return revisions;
}
