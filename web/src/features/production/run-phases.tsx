"use client";

import { useState } from "react";
import { useMutation } from "urql";
import { DecisionBadge } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import { useAttemptKey } from "@/lib/attempt-key";
import { AdvancePhaseMutation, CompleteRunMutation } from "./operations";
import { describeAdvanceRefusal } from "./refusals";
import type { Run } from "./use-run";
import styles from "./run-console.module.css";

type Gate = { id: string; name: string; blocking: boolean };

/** The routing with the current phase marked and each phase's gate; advancing and completing. */
export function RunPhases({
  run,
  gates,
  controls,
  onChanged,
}: {
  run: Run;
  gates: Gate[];
  /** Whether to offer advancing and completing (an operator's run in progress). */
  controls: boolean;
  onChanged(): void;
}) {
  const gateNames = new Map(gates.map((gate) => [gate.id, gate.name]));
  const current = run.currentPhase?.sequence ?? 0;
  return (
    <section className={styles.card} aria-labelledby="phases-title">
      <h2 id="phases-title">
        Phases{" "}
        {run.currentPhase && (
          <span className={styles.muted}>
            {current} of {run.phases.length}
          </span>
        )}
      </h2>
      <ol className={styles.phases}>
        {run.phases.map((phase) => {
          const state = phase.endedAt ? "done" : phase.sequence === current ? "current" : "next";
          return (
            <li
              key={phase.sequence}
              className={styles[state]}
              aria-current={state === "current" ? "step" : undefined}
              data-testid="run-phase"
            >
              <span className={styles.phaseNumber} aria-hidden="true">
                {state === "done" ? "✓" : phase.sequence}
              </span>
              <span className={styles.phaseBody}>
                <strong>{phase.name}</strong>
                <span className={styles.phaseWhen}>
                  {state === "done" && phase.endedAt
                    ? `Done ${formatDateTime(phase.endedAt)}`
                    : state === "current"
                      ? "Now"
                      : "Next"}
                </span>
                {phase.gateId && (
                  <GateState run={run} gate={gates.find((g) => g.id === phase.gateId)} gateId={phase.gateId} />
                )}
              </span>
            </li>
          );
        })}
      </ol>
      {controls && <PhaseActions run={run} gateNames={gateNames} onChanged={onChanged} />}
    </section>
  );
}

/** The gate that closes a phase: its name, whether it holds the run back, and its last decision. */
function GateState({ run, gate, gateId }: { run: Run; gate: Gate | undefined; gateId: string }) {
  const status = run.gates.find((g) => g.gate.id === gateId);
  const name = gate?.name ?? status?.gate.name ?? "quality gate";
  const decision = status && (
    <>
      <DecisionBadge result={status.lastDecision.result} />
      <span className={styles.phaseWhen}>
        {status.lastDecision.decidedByName}, {formatDateTime(status.lastDecision.decidedAt)}
      </span>
    </>
  );
  return (
    <span className={styles.gate}>
      <span>
        Gate: <strong>{name}</strong>
        {gate?.blocking ? " · blocking" : ""}
      </span>
      {status?.passed ? (
        <span className={styles.gatePassed}>{decision}</span>
      ) : gate?.blocking ? (
        <span className={styles.gateBlocking}>{decision ?? "No decision yet"} · needs a PASS to move on</span>
      ) : (
        <span className={styles.gateOpen}>{decision ?? "No decision yet"} · does not block</span>
      )}
    </span>
  );
}

/** Advancing to the next phase and completing the run, each with its own retry key and the API's refusal. */
function usePhaseActions(run: Run, gateNames: Map<string, string>, onChanged: () => void) {
  const [advancing, advance] = useMutation(AdvancePhaseMutation);
  const [completing, complete] = useMutation(CompleteRunMutation);
  const advanceKey = useAttemptKey();
  const completeKey = useAttemptKey();
  const [confirming, setConfirming] = useState(false);
  const [closeWorkOrder, setCloseWorkOrder] = useState(true);
  const [refusal, setRefusal] = useState<string | null>(null);

  async function onAdvance() {
    setRefusal(null);
    const result = await advance({ input: { runId: run.id, idempotencyKey: advanceKey.current() } });
    if (result.error?.graphQLErrors.length || result.data) advanceKey.renew();
    if (result.error) return setRefusal(describeAdvanceRefusal(result.error, gateNames, run.phases));
    onChanged();
  }

  async function onComplete() {
    setRefusal(null);
    const result = await complete({ input: { runId: run.id, closeWorkOrder, idempotencyKey: completeKey.current() } });
    if (result.error?.graphQLErrors.length || result.data) completeKey.renew();
    setConfirming(false);
    if (result.error) return setRefusal(describeAdvanceRefusal(result.error, gateNames, run.phases));
    onChanged();
  }

  return {
    advancing: advancing.fetching,
    completing: completing.fetching,
    confirming,
    setConfirming,
    closeWorkOrder,
    setCloseWorkOrder,
    refusal,
    onAdvance,
    onComplete,
  };
}

function PhaseActions({ run, gateNames, onChanged }: { run: Run; gateNames: Map<string, string>; onChanged(): void }) {
  const {
    advancing,
    completing,
    confirming,
    setConfirming,
    closeWorkOrder,
    setCloseWorkOrder,
    refusal,
    onAdvance,
    onComplete,
  } = usePhaseActions(run, gateNames, onChanged);
  const last = run.currentPhase?.sequence === run.phases.length;

  return (
    <div className={styles.phaseActions}>
      {refusal && (
        <p className={styles.refusal} role="alert" data-testid="phase-refusal">
          {refusal}
        </p>
      )}
      {!last && (
        <button
          type="button"
          className="button button-primary button-block"
          onClick={() => void onAdvance()}
          disabled={advancing}
        >
          {advancing ? "Moving on…" : `Finish ${run.currentPhase?.name ?? "phase"}, start the next`}
        </button>
      )}
      {confirming ? (
        <CompleteConfirm
          run={run}
          last={last}
          closeWorkOrder={closeWorkOrder}
          onCloseWorkOrder={setCloseWorkOrder}
          busy={completing}
          onComplete={() => void onComplete()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button
          type="button"
          className={`button button-block ${last ? "button-primary" : ""}`}
          onClick={() => setConfirming(true)}
        >
          Complete run…
        </button>
      )}
    </div>
  );
}

/** Asks before completing the run, and whether its work order closes with it. */
function CompleteConfirm({
  run,
  last,
  closeWorkOrder,
  onCloseWorkOrder,
  busy,
  onComplete,
  onCancel,
}: {
  run: Run;
  last: boolean;
  closeWorkOrder: boolean;
  onCloseWorkOrder(close: boolean): void;
  busy: boolean;
  onComplete(): void;
  onCancel(): void;
}) {
  return (
    <div className={styles.confirm} role="group" aria-label="Complete the run">
      <p>
        Complete the run? {last ? "" : "Every phase still ahead is passed. "}Nothing more can be consumed or recorded on
        it.
      </p>
      <label className={styles.checkbox}>
        <input type="checkbox" checked={closeWorkOrder} onChange={(e) => onCloseWorkOrder(e.target.checked)} />
        Close work order {run.workOrder.number} (no other run will follow)
      </label>
      <div className={styles.pendingActions}>
        <button type="button" className="button button-primary" onClick={onComplete} disabled={busy}>
          {busy ? "Completing…" : "Complete the run"}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Not yet
        </button>
      </div>
    </div>
  );
}
