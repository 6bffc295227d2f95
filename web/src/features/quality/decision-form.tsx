"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import type { QcResult } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { LotCodeField, useLotLookup } from "./lot-code-field";
import { MeasurementField, parseMeasurement } from "./measurement-field";
import { QualityRunsQuery, RecordQcDecisionMutation } from "./operations";
import { problemOf, type Problem } from "@/lib/problem";
import type { Gate } from "./quality-screen";
import styles from "./quality.module.css";

const RESULTS: ReadonlyArray<{ value: QcResult; label: string; hint: string; tone: string }> = [
  { value: "PASS", label: "Pass", hint: "Releases the lot or the run's outputs", tone: "ok" },
  { value: "HOLD", label: "Hold", hint: "Stop and look closer: holds the lot", tone: "warn" },
  { value: "FAIL", label: "Fail", hint: "Rejects and holds the lot", tone: "danger" },
];

/** Fields the API names in its refusals, and where their message goes. */
const FIELD_OF: Record<string, string> = { lotId: "lot", runId: "run", notes: "notes", decision: "result" };

/** Records PASS, HOLD or FAIL at a gate for a lot, a run or both, with the gate's measurements. */
export function DecisionForm({ gates, initialGateId }: { gates: Gate[]; initialGateId: string | null }) {
  const [gateId, setGateId] = useState(initialGateId ?? gates[0]?.id ?? "");
  const gate = gates.find((g) => g.id === gateId);
  const [lotCode, setLotCode] = useState("");
  const lot = useLotLookup();
  const [runId, setRunId] = useState("");
  const [result, setResult] = useState<QcResult | "">("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [{ fetching }, record] = useMutation(RecordQcDecisionMutation);

  const fieldProblem = (field: string) => (problem && problem.field === field ? problem.message : undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    if (!gate || !result) return;
    const found = lotCode.trim() ? await lot.resolve(lotCode) : null;
    if (found && found.state !== "found") return; // the field already says why
    const measurements = gate.characteristics
      .filter((c) => (values[c.name] ?? "").trim() !== "")
      .map((c) => ({ characteristic: c.name, value: parseMeasurement(values[c.name]!) }));
    const invalid = measurements.find((m) => Number.isNaN(m.value));
    if (invalid) {
      setProblem({ message: "Enter a number, e.g. 12.5.", field: `measurement:${invalid.characteristic}` });
      return;
    }
    const response = await record({
      input: {
        gateId: gate.id,
        lotId: found?.state === "found" ? found.lot.id : null,
        runId: runId || null,
        decision: result,
        notes: notes.trim() || null,
        measurements,
      },
    });
    if (response.error) {
      const next = problemOf(response.error);
      const field = next.field ? (FIELD_OF[next.field] ?? next.field) : undefined;
      // The API's words for "neither a lot nor a run" name its input fields; say it in the form's.
      const message = field === "lot" && /runId/.test(next.message) ? "Give a lot code, a run, or both." : next.message;
      setProblem({ message, field });
      return;
    }
    const recorded = response.data?.recordQcDecision;
    if (!recorded) return;
    const subject = recorded.decision.lot ? `lot ${recorded.decision.lot.code}` : "the run";
    const held = recorded.affectedLots.length;
    setDone(
      `${recorded.decision.result} recorded for ${subject} at ${recorded.decision.gate.name}.` +
        (held ? ` ${held} ${held === 1 ? "lot is" : "lots are"} now on hold.` : ""),
    );
    setLotCode("");
    lot.clear();
    setRunId("");
    setResult("");
    setValues({});
    setNotes("");
  }

  const formProblem = problem && (!problem.field || !isShownByField(problem.field)) ? problem.message : null;

  return (
    <form className={styles.decisionForm} onSubmit={submit} aria-labelledby="record-title" noValidate>
      <h2 id="record-title" className="visually-hidden">
        Record a decision
      </h2>
      <div className={styles.formGrid}>
        <div className={styles.field}>
          <label htmlFor="gate">Gate</label>
          <select
            id="gate"
            className="input"
            value={gateId}
            onChange={(event) => {
              setGateId(event.target.value);
              setValues({});
              setProblem(null);
            }}
          >
            {gates.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <LotCodeField
          id="lot"
          label="Lot code"
          lookup={lot.lookup}
          value={lotCode}
          onChange={(value) => {
            setLotCode(value);
            lot.type(value);
          }}
          onResolve={(code) => void lot.resolve(code)}
          problem={fieldProblem("lot")}
        />
        <RunSelect value={runId} onChange={setRunId} problem={fieldProblem("run")} />
      </div>

      <fieldset className={styles.results} aria-describedby="result-problem">
        <legend>Decision</legend>
        {RESULTS.map((option) => (
          <label key={option.value} className={`${styles.result} ${styles[`result-${option.tone}`]}`}>
            <input
              type="radio"
              name="result"
              value={option.value}
              checked={result === option.value}
              onChange={() => setResult(option.value)}
            />
            <span className={styles.resultLabel}>{option.label}</span>
            <span className={styles.resultHint}>{option.hint}</span>
          </label>
        ))}
        <p id="result-problem" className={styles.fieldError}>
          {fieldProblem("result")}
        </p>
      </fieldset>

      {gate && gate.characteristics.length > 0 && (
        <fieldset className={styles.measurementSet}>
          <legend>Measurements at {gate.name}</legend>
          {problem?.field === "measurements" && (
            <p className={styles.fieldError} role="alert">
              {problem.message}
            </p>
          )}
          <div className={styles.measurementGrid}>
            {gate.characteristics.map((spec) => (
              <MeasurementField
                key={spec.name}
                spec={spec}
                value={values[spec.name] ?? ""}
                onChange={(value) => setValues((v) => ({ ...v, [spec.name]: value }))}
                problem={fieldProblem(`measurement:${spec.name}`)}
              />
            ))}
          </div>
        </fieldset>
      )}

      <div className={styles.field}>
        <label htmlFor="notes">Notes</label>
        <textarea
          id="notes"
          className="input"
          rows={2}
          maxLength={2000}
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          aria-describedby="notes-problem"
        />
        <p id="notes-problem" className={styles.fieldError}>
          {fieldProblem("notes")}
        </p>
      </div>

      <div className={styles.formActions}>
        <button type="submit" className="button button-primary" disabled={fetching || !gate || !result}>
          {fetching ? "Recording…" : result ? `Record ${result}` : "Choose pass, hold or fail"}
        </button>
        {problem && (
          <p className={styles.formProblem} role="alert">
            {formProblem ?? "Not recorded: see the marked field."}
          </p>
        )}
        {done && (
          <p className={styles.success} role="status">
            {done}
          </p>
        )}
      </div>
    </form>
  );
}

function isShownByField(field: string): boolean {
  return ["lot", "run", "notes", "result", "measurements"].includes(field) || field.startsWith("measurement:");
}

/** The runs in progress, by work order: a decision on a run settles its gate for every output. */
function RunSelect({ value, onChange, problem }: { value: string; onChange(id: string): void; problem?: string }) {
  const [{ data, error }] = useQuery({ query: QualityRunsQuery, requestPolicy: "cache-and-network" });
  const runs =
    data?.workOrders.edges.flatMap(({ node: order }) =>
      order.runs
        .filter((run) => run.status === "IN_PROGRESS")
        .map((run) => ({
          id: run.id,
          label: `${order.number} · ${order.product.name}${order.line ? ` · ${order.line.code}` : ""} · ${run.operatorName}, ${formatDateTime(run.startedAt)}`,
        })),
    ) ?? [];
  return (
    <div className={styles.field}>
      <label htmlFor="run">Run (optional)</label>
      <select
        id="run"
        className={`input ${problem ? styles.invalid : ""}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby="run-hint"
      >
        <option value="">No run: the lot only</option>
        {runs.map((run) => (
          <option key={run.id} value={run.id}>
            {run.label}
          </option>
        ))}
      </select>
      <p id="run-hint" className={problem ? styles.fieldError : styles.fieldHint}>
        {problem ??
          (error
            ? "The runs could not be read."
            : runs.length === 0
              ? "No run is in progress."
              : "For a check of a run in progress: it settles the gate for all its output.")}
      </p>
    </div>
  );
}
