"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { useQuery, type CombinedError } from "urql";
import { LiveIndicator } from "@/components/live-indicator";
import { tabIds, Tabs, useTabInAddress } from "@/components/tabs";
import { useMe } from "@/features/auth/use-me";
import type { QualityGatesQuery as Gates } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { grants } from "@/lib/roles";
import { ChartsPanel } from "./charts-panel";
import { DecisionForm } from "./decision-form";
import { GatesPanel } from "./gates-panel";
import { HoldsPanel } from "./holds-panel";
import { NonConformancesPanel } from "./non-conformances-panel";
import { QualityCountsQuery, QualityGatesQuery } from "./operations";
import { useQualityLive } from "./use-quality-live";
import styles from "./quality.module.css";

export type Gate = Gates["qcGates"][number];

const TAB_IDS = ["gates", "record", "holds", "nonconformances", "charts"] as const;
const TAB = tabIds("quality");

/** The quality screen, for operators (record, open nonconformances) and managers (hold, release, dispose). */
export function QualityScreen() {
  const { me, loading } = useMe();
  if (loading)
    return (
      <div className="page-status" role="status">
        Loading…
      </div>
    );
  if (!me || !grants(me.roles, ["OPERATOR"]))
    return (
      <div className={styles.statePanel}>
        <h1>Quality</h1>
        <p>Quality checks and holds are for operators and quality managers. Ask an administrator for the role.</p>
        <Link href="/lots" className="button">
          Go to lots
        </Link>
      </div>
    );
  return <Quality manager={grants(me.roles, ["MANAGER"])} />;
}

/** How many holds and open nonconformances there are, read again whenever a hold or decision happens. */
function useQualityCounts(revision: number) {
  const [countsResult, reloadCounts] = useQuery({ query: QualityCountsQuery, requestPolicy: "network-only" });
  useEffect(() => {
    if (revision > 0) reloadCounts({ requestPolicy: "network-only" });
  }, [revision, reloadCounts]);
  const counts = countsResult.data;
  const reload = useCallback(() => reloadCounts({ requestPolicy: "network-only" }), [reloadCounts]);
  return [counts, reload] as const;
}

type Counts = ReturnType<typeof useQualityCounts>[0];

function qualityTabs(counts: Counts) {
  return [
    { id: "gates" as const, label: "Gates and checks" },
    { id: "record" as const, label: "Record a decision" },
    {
      id: "holds" as const,
      label: "Holds",
      count: counts ? counts.holds.totalCount + counts.supplierHolds.totalCount : undefined,
    },
    { id: "nonconformances" as const, label: "Nonconformances", count: counts?.nonConformances.totalCount },
    { id: "charts" as const, label: "Control charts" },
  ];
}

function Quality({ manager }: { manager: boolean }) {
  const live = useQualityLive();
  const [tab, setTab] = useTabInAddress(TAB_IDS, "gates");
  const [recordAt, setRecordAt] = useState<string | null>(null);
  const [gatesResult, reloadGates] = useQuery({ query: QualityGatesQuery, requestPolicy: "cache-and-network" });
  const revision = live.holds + live.decisions;
  const [counts, reloadCounts] = useQualityCounts(revision);
  const gates = gatesResult.data?.qcGates;

  const needsGates = tab === "gates" || tab === "record" || tab === "charts";
  return (
    <>
      <div className={styles.toolbar}>
        <div>
          <h1 className={styles.title}>Quality</h1>
          <p className={styles.lede}>
            Checks at every gate, what is on hold and why, and the nonconformances to settle.
          </p>
        </div>
        <LiveIndicator title="Holds and checks recorded anywhere in the plant appear here as they happen" />
      </div>
      <Tabs tabs={qualityTabs(counts)} selected={tab} onSelect={setTab} label="Quality" idPrefix="quality" />
      <section role="tabpanel" id={TAB.panel(tab)} aria-labelledby={TAB.tab(tab)} className={styles.panel}>
        {needsGates && !gates?.length ? (
          <GatesState
            gates={gates}
            error={gatesResult.error}
            onRetry={() => reloadGates({ requestPolicy: "network-only" })}
          />
        ) : tab === "gates" ? (
          <GatesPanel
            gates={gates ?? []}
            revision={live.decisions}
            onRecord={(gateId) => {
              setRecordAt(gateId);
              setTab("record");
            }}
          />
        ) : tab === "record" ? (
          <DecisionForm gates={gates ?? []} initialGateId={recordAt} />
        ) : tab === "holds" ? (
          <HoldsPanel manager={manager} revision={live.holds} onChanged={reloadCounts} />
        ) : tab === "nonconformances" ? (
          <NonConformancesPanel manager={manager} revision={revision} />
        ) : (
          <ChartsPanel gates={gates ?? []} revision={live.decisions} />
        )}
      </section>
    </>
  );
}

/** The gates while they load, when they cannot be read, or when there are none yet. */
function GatesState({
  gates,
  error,
  onRetry,
}: {
  gates: Gate[] | undefined;
  error: CombinedError | undefined;
  onRetry(): void;
}) {
  if (gates)
    return (
      <div className={styles.statePanel}>
        <h2>No gates yet</h2>
        <p>A quality gate and its checklist are defined by a manager or an administrator.</p>
      </div>
    );
  if (error)
    return (
      <div className={styles.statePanel} role="alert">
        <h2>The gates could not be loaded</h2>
        <p>{describeError(error)}</p>
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  return (
    <div className={styles.statePanel} role="status" aria-busy="true">
      Loading the gates…
    </div>
  );
}
