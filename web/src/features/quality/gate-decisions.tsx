"use client";

import Link from "next/link";
import { useState } from "react";
import { DecisionBadge } from "@/components/status-badge";
import type { QualityDecisionFragment } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { formatNumber, lotHref } from "./format-limits";
import { OpenNonConformanceDialog } from "./open-non-conformance-dialog";
import { GateDecisionsQuery } from "./operations";
import type { Gate } from "./quality-screen";
import { usePaged } from "@/lib/use-paged";
import { ListFooter } from "@/components/list-footer";
import styles from "./quality.module.css";

const PAGE_SIZE = 5;

/** A gate's decisions, newest first, five at a time. */
export function GateDecisions({ gate, revision }: { gate: Gate; revision: number }) {
  const decisions = usePaged(GateDecisionsQuery, { gateId: gate.id }, (data) => data.qcDecisions, {
    pageSize: PAGE_SIZE,
    revision,
  });
  const [opening, setOpening] = useState<QualityDecisionFragment | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  if (decisions.loading)
    return (
      <p className={styles.muted} role="status" aria-busy="true">
        Reading the decisions…
      </p>
    );
  if (decisions.error && decisions.items.length === 0)
    return (
      <p className={styles.inlineError} role="alert">
        {describeError(decisions.error)}{" "}
        <button type="button" className="button" onClick={() => void decisions.reload()}>
          Try again
        </button>
      </p>
    );
  if (decisions.items.length === 0) return <p className={styles.muted}>No decision at this gate yet.</p>;
  return (
    <>
      {opened && (
        <p className={styles.success} role="status">
          {opened} opened: it is in the nonconformance register.
        </p>
      )}
      <ul className={styles.decisionList}>
        {decisions.items.map((decision) => (
          <DecisionItem key={decision.id} decision={decision} onOpenNcr={() => setOpening(decision)} />
        ))}
      </ul>
      <ListFooter list={decisions} noun="decisions" />
      {opening && (
        <OpenNonConformanceDialog
          source={{ decisionId: opening.id }}
          summary={
            <p>
              {opening.result} at {opening.gate.name}
              {opening.lot ? ` on lot ${opening.lot.code}` : ""}, {formatDateTime(opening.decidedAt)}
            </p>
          }
          onClose={() => setOpening(null)}
          onOpened={(number) => setOpened(number)}
        />
      )}
    </>
  );
}

function DecisionItem({ decision, onOpenNcr }: { decision: QualityDecisionFragment; onOpenNcr(): void }) {
  return (
    <li className={styles.decision} data-testid="gate-decision">
      <div className={styles.decisionHead}>
        <DecisionBadge result={decision.result} />
        <span className={styles.decisionSubject}>
          {decision.lot ? (
            <>
              Lot{" "}
              <Link href={lotHref(decision.lot.code)} className={styles.lotLink}>
                {decision.lot.code}
              </Link>
            </>
          ) : null}
          {decision.lot && decision.run ? " · " : null}
          {decision.run ? `Run of ${decision.run.workOrder.number}` : null}
          {decision.line ? ` · line ${decision.line.code}` : null}
        </span>
        <span className={styles.meta}>
          {decision.decidedByName}, <time dateTime={decision.decidedAt}>{formatDateTime(decision.decidedAt)}</time>
        </span>
        {decision.result !== "PASS" && (
          <button type="button" className={`button ${styles.smallButton}`} onClick={onOpenNcr}>
            Open nonconformance
          </button>
        )}
      </div>
      {decision.measurements.length > 0 && (
        <ul className={styles.measurements} aria-label="Measurements">
          {decision.measurements.map((m) => (
            <li key={m.characteristic} className={m.withinLimits ? styles.within : styles.outside}>
              <span aria-hidden="true">{m.withinLimits ? "✓" : "✕"}</span> {m.characteristic}{" "}
              <strong>{formatNumber(m.value)}</strong>
              <span className="visually-hidden">{m.withinLimits ? " within limits" : " outside limits"}</span>
            </li>
          ))}
        </ul>
      )}
      {decision.notes && <p className={styles.note}>{decision.notes}</p>}
    </li>
  );
}
