"use client";

import { useEffect, useState, type FormEvent } from "react";
import { saveToken, useAuthToken } from "@/lib/auth-token";
import { formatDecimal } from "@/lib/format";
import { useLiveStatus } from "@/lib/live-status";
import { percentOf, sumQuantities } from "@/lib/quantity";
import { useFloor } from "@/features/floor/use-floor";
import type { FloorQuery } from "@/gql/graphql";
import styles from "./kiosk.module.css";

type WorkOrder = FloorQuery["workOrders"]["edges"][number]["node"];

/** After this long without a live connection the display says it may be out of date. */
const STALE_AFTER_MS = 15_000;

/**
 * One line on a large display, readable across a room. It signs in once, with a display service
 * account's token (no sign-in per shift), reconnects by itself, and says when what it shows may
 * be out of date.
 */
export function KioskScreen({ lineCode }: { lineCode: string }) {
  const token = useAuthToken();
  if (token === undefined) return <div className={styles.kiosk} />;
  if (!token) return <PairDisplay lineCode={lineCode} />;
  return <LineBoard lineCode={lineCode} />;
}

function PairDisplay({ lineCode }: { lineCode: string }) {
  const [value, setValue] = useState("");
  function pair(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (value.trim()) saveToken(value.trim());
  }
  return (
    <main className={styles.pair}>
      <h1>Set up the display for line {lineCode}</h1>
      <p>
        Paste the token of a display service account (an administrator creates one with the VIEWER role). The display
        keeps it: nobody signs in per shift.
      </p>
      <form onSubmit={pair} className={styles.pairForm}>
        <label>
          Display token
          <input
            className="input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="button button-primary">
          Start the display
        </button>
      </form>
    </main>
  );
}

/** Whether the display has been without a live connection for a while, and since when it last heard. */
function useStaleness(receivedAt: number | null) {
  const live = useLiveStatus();
  const [now, setNow] = useState(() => Date.now());
  const [offlineSince, setOfflineSince] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    setOfflineSince(live === "live" ? null : (previous) => previous ?? Date.now());
  }, [live]);
  const stale = offlineSince !== null && now - offlineSince > STALE_AFTER_MS;
  return { live, stale, receivedAt, now };
}

function LineBoard({ lineCode }: { lineCode: string }) {
  const floor = useFloor();
  const [receivedAt, setReceivedAt] = useState<number | null>(null);
  useEffect(() => {
    if (floor.data && !floor.fetching) setReceivedAt(Date.now());
  }, [floor.data, floor.fetching]);
  const { live, stale } = useStaleness(receivedAt);
  const data = floor.data;
  const orders = (data?.workOrders.edges ?? []).map((e) => e.node).filter((o) => o.line?.code === lineCode);
  const lineName = orders[0]?.line?.name ?? `Line ${lineCode}`;
  const checks = (data?.qcDecisions.edges ?? []).map((e) => e.node).filter((d) => d.line?.code === lineCode);
  const gateNames = new Map((data?.qcGates ?? []).map((g) => [g.id, g.name]));

  return (
    <main className={styles.kiosk} data-testid="kiosk">
      <header className={styles.header}>
        <h1>{lineName}</h1>
        <span className={live === "live" ? styles.liveOn : styles.liveOff} role="status">
          {live === "live" ? "● Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}
        </span>
      </header>
      {stale && (
        <p className={styles.stale} role="alert">
          Not live: this screen may be out of date
          {receivedAt ? ` (last update ${new Date(receivedAt).toLocaleTimeString()})` : ""}. Reconnecting by itself.
        </p>
      )}
      {!data ? (
        <p className={styles.waiting}>{floor.error ? "Waiting for Lotgraph…" : "Loading…"}</p>
      ) : orders.length === 0 ? (
        <p className={styles.waiting}>No run in progress on this line.</p>
      ) : (
        orders.map((order) => <KioskOrder key={order.id} order={order} gateNames={gateNames} />)
      )}
      <footer className={styles.footer}>
        <span>
          Open holds:{" "}
          <strong className={data?.holds.totalCount ? styles.alert : undefined}>{data?.holds.totalCount ?? "—"}</strong>
        </span>
        {checks[0] && (
          <span>
            Last check on this line: <strong>{checks[0].result}</strong> at {checks[0].gate.name}
          </span>
        )}
      </footer>
    </main>
  );
}

function KioskOrder({ order, gateNames }: { order: WorkOrder; gateNames: Map<string, string> }) {
  const run = order.runs.find((r) => r.status === "IN_PROGRESS") ?? order.runs.at(-1);
  const produced = sumQuantities(order.runs.flatMap((r) => r.outputs.map((o) => o.quantity)));
  const percent = percentOf(produced, order.plannedQuantity);
  const current = run?.currentPhase?.sequence ?? 0;
  return (
    <section className={styles.order} aria-label={`${order.product.name}, ${order.number}`}>
      <h2>
        {order.product.name} <span>{order.number}</span>
      </h2>
      <div
        className={styles.progress}
        role="progressbar"
        aria-label="Progress"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <p className={styles.count}>
        {formatDecimal(produced)} / {formatDecimal(order.plannedQuantity)} {order.product.uom}
      </p>
      {run && (
        <ol className={styles.phases}>
          {run.phases.map((phase) => {
            const gate = phase.gateId ? run.gates.find((g) => g.gate.id === phase.gateId) : undefined;
            const state = phase.sequence < current ? styles.done : phase.sequence === current ? styles.current : "";
            return (
              <li key={phase.sequence} className={state}>
                {phase.name}
                {phase.gateId && (
                  <small className={gate ? (gate.passed ? styles.passed : styles.blocked) : styles.waitingGate}>
                    {gate ? (gate.passed ? "✓ " : "✕ ") : "… "}
                    {gateNames.get(phase.gateId) ?? "gate"}
                    {gate ? (gate.passed ? "" : ": not passed") : ": awaiting check"}
                  </small>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
