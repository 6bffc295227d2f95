"use client";

import Link from "next/link";
import { LiveIndicator } from "@/components/live-indicator";
import { DecisionBadge } from "@/components/status-badge";
import type { FloorQuery } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatDateTime, formatDecimal } from "@/lib/format";
import { percentOf, sumQuantities } from "@/lib/quantity";
import { useFloor } from "./use-floor";
import styles from "./floor.module.css";

type WorkOrder = FloorQuery["workOrders"]["edges"][number]["node"];
type Run = WorkOrder["runs"][number];

/** The floor dashboard: work in progress per line, open holds and the latest QC decisions, live. */
export function FloorScreen() {
  const floor = useFloor();
  const data = floor.data;
  return (
    <>
      <div className={styles.toolbar}>
        <div>
          <h1 className={styles.title}>Floor</h1>
          <p className={styles.lede}>Work in progress on every line, what is on hold, and the latest checks.</p>
        </div>
        <LiveIndicator title="Runs, holds and checks appear here as they happen" />
      </div>
      {floor.error && !data ? (
        <div className={styles.statePanel} role="alert">
          <h2>The floor could not be loaded</h2>
          <p>{describeError(floor.error)}</p>
          <button type="button" className="button" onClick={floor.refresh}>
            Try again
          </button>
        </div>
      ) : !data ? (
        <div className={styles.statePanel} role="status" aria-busy="true">
          Loading the floor…
        </div>
      ) : (
        <div className={styles.layout}>
          <Lines
            workOrders={data.workOrders.edges.map((e) => e.node)}
            total={data.workOrders.totalCount}
            gateNames={new Map(data.qcGates.map((gate) => [gate.id, gate.name]))}
          />
          <aside className={styles.side}>
            <OpenHolds holds={data.holds} />
            <LatestDecisions decisions={data.qcDecisions.edges.map((e) => e.node)} />
          </aside>
        </div>
      )}
    </>
  );
}

/** Work orders in progress, grouped by line (those without one last). */
function Lines({
  workOrders,
  total,
  gateNames,
}: {
  workOrders: WorkOrder[];
  total: number;
  gateNames: Map<string, string>;
}) {
  if (workOrders.length === 0)
    return (
      <section className={styles.statePanel} aria-label="Lines">
        <h2>Nothing in progress</h2>
        <p>Runs appear here as soon as an operator starts one.</p>
      </section>
    );
  const byLine = new Map<string, { label: string; orders: WorkOrder[] }>();
  for (const order of workOrders) {
    const key = order.line?.id ?? "";
    const label = order.line ? `${order.line.name} (${order.line.code})` : "No line";
    const group = byLine.get(key) ?? { label, orders: [] };
    group.orders.push(order);
    byLine.set(key, group);
  }
  const groups = [...byLine.entries()].sort(([a, x], [b, y]) =>
    a === "" ? 1 : b === "" ? -1 : x.label.localeCompare(y.label),
  );
  return (
    <section className={styles.lines} aria-label="Lines">
      {groups.map(([key, group]) => (
        <div key={key || "none"} className={styles.line}>
          <h2>{group.label}</h2>
          {group.orders.map((order) => (
            <WorkOrderCard key={order.id} order={order} gateNames={gateNames} />
          ))}
        </div>
      ))}
      {total > workOrders.length && (
        <p className={styles.muted}>
          {workOrders.length} of {total} work orders in progress shown.
        </p>
      )}
    </section>
  );
}

function WorkOrderCard({ order, gateNames }: { order: WorkOrder; gateNames: Map<string, string> }) {
  const produced = sumQuantities(order.runs.flatMap((run) => run.outputs.map((o) => o.quantity)));
  const percent = percentOf(produced, order.plannedQuantity);
  const run = order.runs.find((r) => r.status === "IN_PROGRESS") ?? order.runs.at(-1);
  return (
    <article className={styles.order} data-testid="work-order">
      <header className={styles.orderHead}>
        <strong>{order.product.name}</strong>
        <span className={styles.muted}>{order.number}</span>
      </header>
      <div
        className={styles.progress}
        role="progressbar"
        aria-label={`${order.number} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <p className={styles.progressText}>
        {formatDecimal(produced)} of {formatDecimal(order.plannedQuantity)} {order.product.uom} ({percent} %)
      </p>
      {run ? <RunPhases run={run} gateNames={gateNames} /> : <p className={styles.muted}>No run started.</p>}
    </article>
  );
}

/** The run's phases in order, the current one marked, each gate's state beside its phase. */
function RunPhases({ run, gateNames }: { run: Run; gateNames: Map<string, string> }) {
  const current = run.currentPhase?.sequence ?? 0;
  return (
    <>
      <p className={styles.runLine}>
        {run.currentPhase ? (
          <>
            Phase {run.currentPhase.sequence} of {run.phases.length}: <strong>{run.currentPhase.name}</strong>
          </>
        ) : (
          run.status.toLowerCase()
        )}{" "}
        <span className={styles.muted}>· {run.operatorName}</span>
      </p>
      <ol className={styles.phases}>
        {run.phases.map((phase) => {
          const gate = phase.gateId ? run.gates.find((g) => g.gate.id === phase.gateId) : undefined;
          const state = phase.sequence < current ? "done" : phase.sequence === current ? "current" : "next";
          return (
            <li key={phase.sequence} className={styles[state]}>
              <span>{phase.name}</span>
              {phase.gateId && (
                <GateChip
                  passed={gate?.passed ?? null}
                  name={gateNames.get(phase.gateId) ?? gate?.gate.name ?? "gate"}
                />
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}

function GateChip({ passed, name }: { passed: boolean | null; name: string }) {
  if (passed === null) return <span className={styles.gateWaiting}>… {name}: awaiting check</span>;
  return passed ? (
    <span className={styles.gatePassed}>✓ {name}</span>
  ) : (
    <span className={styles.gateBlocked}>✕ {name}: not passed</span>
  );
}

function OpenHolds({ holds }: { holds: FloorQuery["holds"] }) {
  return (
    <section className={styles.panel} aria-labelledby="holds-title">
      <h2 id="holds-title">
        Open holds <span className={holds.totalCount ? styles.countAlert : styles.count}>{holds.totalCount}</span>
      </h2>
      {holds.edges.length === 0 ? (
        <p className={styles.muted}>No lot is on hold.</p>
      ) : (
        <ul className={styles.list}>
          {holds.edges.map(({ node: hold }) => (
            <li key={hold.id} data-testid="open-hold">
              <Link href={`/lots/${encodeURIComponent(hold.lot.code)}`} className={styles.lotLink}>
                {hold.lot.code}
              </Link>{" "}
              <span className={styles.muted}>{hold.lot.material.name}</span>
              <span className={styles.reason}>{hold.reason}</span>
              <span className={styles.meta}>
                {hold.placedByName}, {formatDateTime(hold.placedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LatestDecisions({ decisions }: { decisions: FloorQuery["qcDecisions"]["edges"][number]["node"][] }) {
  return (
    <section className={styles.panel} aria-labelledby="decisions-title">
      <h2 id="decisions-title">Latest checks</h2>
      {decisions.length === 0 ? (
        <p className={styles.muted}>No QC decision yet.</p>
      ) : (
        <ul className={styles.list}>
          {decisions.map((decision) => (
            <li key={decision.id} data-testid="latest-decision">
              <DecisionBadge result={decision.result} /> <strong>{decision.gate.name}</strong>
              <span className={styles.reason}>
                {decision.lot ? `Lot ${decision.lot.code}` : "Run"}
                {decision.line ? ` · line ${decision.line.code}` : ""}
              </span>
              <span className={styles.meta}>
                {decision.decidedByName}, {formatDateTime(decision.decidedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
