"use client";

import Link from "next/link";
import { LiveIndicator } from "@/components/live-indicator";
import { useMe } from "@/features/auth/use-me";
import { describeError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { sumQuantities } from "@/lib/quantity";
import { grants } from "@/lib/roles";
import { formatQuantity } from "./quantity";
import { MassBalancePanel } from "./mass-balance";
import { RecordOutput } from "./record-output";
import { RunLists } from "./run-lists";
import { RunPhases } from "./run-phases";
import { ScanConsume } from "./scan-consume";
import { RunStatusBadge } from "./status";
import { useRun, type Run } from "./use-run";
import styles from "./run-console.module.css";

/** The run console: one run at the line, on a tablet, kept current by the run's live events. */
export function RunConsoleScreen({ id }: { id: string }) {
  const state = useRun(id);
  const { me } = useMe();
  if (state.error && !state.loaded)
    return (
      <div className={styles.statePanel} role="alert">
        <h1>The run could not be loaded</h1>
        <p>{describeError(state.error)}</p>
        <button type="button" className="button" onClick={state.retry}>
          Try again
        </button>
      </div>
    );
  if (!state.loaded)
    return (
      <div className={styles.statePanel} role="status" aria-busy="true">
        Loading the run…
      </div>
    );
  const run = state.run;
  if (!run)
    return (
      <div className={styles.statePanel}>
        <h1>No such run</h1>
        <p>The link may be wrong, or the run was never started.</p>
        <Link href="/production" className="button">
          Back to production
        </Link>
      </div>
    );
  // Viewers may follow a run; only operators get its controls (the API refuses them the rest).
  const operator = me !== null && grants(me.roles, ["OPERATOR"]);
  const inProgress = run.status === "IN_PROGRESS";
  const controls = inProgress && operator;
  return (
    <article aria-labelledby="run-title" className={styles.console}>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href="/production">Production</Link> <span aria-hidden="true">›</span> {run.workOrder.number}
      </nav>
      <RunHeader run={run} />
      {controls ? (
        <div className={styles.layout}>
          <div className={styles.main}>
            <ScanConsume run={run} onChanged={state.refresh} />
            <RecordOutput run={run} locations={state.locations} onChanged={state.refresh} />
          </div>
          <RunPhases run={run} gates={state.gates} controls={controls} onChanged={state.refresh} />
        </div>
      ) : (
        <div className={styles.ended}>
          <MassBalancePanel balance={state.balance} error={state.balanceError} loading={state.balanceLoading} final />
          <RunPhases run={run} gates={state.gates} controls={controls} onChanged={state.refresh} />
        </div>
      )}
      <RunLists run={run} />
      {controls && (
        <MassBalancePanel balance={state.balance} error={state.balanceError} loading={state.balanceLoading} />
      )}
    </article>
  );
}

function RunHeader({ run }: { run: Run }) {
  const order = run.workOrder;
  const produced = sumQuantities(run.outputs.map((output) => output.quantity));
  return (
    <header className={styles.header}>
      <div>
        <h1 id="run-title" className={styles.title}>
          {order.product.name} <span className={styles.number}>{order.number}</span>
        </h1>
        <p className={styles.lede}>
          {order.line ? `${order.line.name} (${order.line.code})` : "No line"} · started {formatDateTime(run.startedAt)}{" "}
          by {run.operatorName}
          {run.endedAt && <> · ended {formatDateTime(run.endedAt)}</>}
        </p>
      </div>
      <div className={styles.headline}>
        <span className={styles.produced}>
          <strong>{formatQuantity(produced)}</strong> of {formatQuantity(order.plannedQuantity)} {order.product.uom}{" "}
          made
        </span>
        <RunStatusBadge status={run.status} />
        <LiveIndicator title="Scans, outputs and quality decisions on this run appear as they happen" />
      </div>
    </header>
  );
}
