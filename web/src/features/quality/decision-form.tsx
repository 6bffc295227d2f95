"use client";

import { useQuery } from "urql";
import type { QcResult } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import type { Problem } from "@/lib/problem";
import { LotCodeField } from "./lot-code-field";
import { MeasurementField } from "./measurement-field";
import { QualityRunsQuery } from "./operations";
import type { Gate } from "./quality-screen";
import { useDecisionForm, type DecisionDraft } from "./use-decision-form";
import styles from "./quality.module.css";

const RESULTS: ReadonlyArray<{ value: QcResult; label: string; hint: string; tone: string }> = [
  { value: "PASS", label: "Pass", hint: "Releases the lot or the run's outputs", tone: "ok" },
  { value: "HOLD", label: "Hold", hint: "Stop and look closer: holds the lot", tone: "warn" },
  { value: "FAIL", label: "Fail", hint: "Rejects and holds the lot", tone: "danger" },
];

type FieldProblem = (field: string) => string | undefined;

/** Records PASS, HOLD or FAIL at a gate for a lot, a run or both, with the gate's measurements. */
export function DecisionForm({ gates, initialGateId }: { gates: Gate[]; initialGateId: string | null }) {
  const draft = useDecisionForm(gates, initialGateId);
  const { problem, submit } = draft;
  const { gate } = draft.gate;
  const { result, values, setValues, notes, setNotes } = draft.answers;
  const fieldProblem = (field: string) => (problem && problem.field === field ? problem.message : undefined);

  return (
    <form className={styles.decisionForm} onSubmit={submit} aria-labelledby="record-title" noValidate>
      <h2 id="record-title" className="visually-hidden">
        Record a decision
      </h2>
      <SubjectFields gates={gates} draft={draft} fieldProblem={fieldProblem} />

      <ResultChoices result={result} onChange={draft.answers.setResult} problem={fieldProblem("result")} />

      {gate && gate.characteristics.length > 0 && (
        <MeasurementSet
          gate={gate}
          values={values}
          onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
          problem={problem}
          fieldProblem={fieldProblem}
        />
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
      <DecisionActions draft={draft} />
    </form>
  );
}

/** What is decided on: the gate, and the lot, the run in progress, or both. */
function SubjectFields({
  gates,
  draft,
  fieldProblem,
}: {
  gates: Gate[];
  draft: DecisionDraft;
  fieldProblem: FieldProblem;
}) {
  const { gateId, chooseGate } = draft.gate;
  const { lotCode, setLotCode, lot, runId, setRunId } = draft.subject;
  return (
    <div className={styles.formGrid}>
      <div className={styles.field}>
        <label htmlFor="gate">Gate</label>
        <select id="gate" className="input" value={gateId} onChange={(event) => chooseGate(event.target.value)}>
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
  );
}

function ResultChoices({
  result,
  onChange,
  problem,
}: {
  result: QcResult | "";
  onChange(result: QcResult): void;
  problem: string | undefined;
}) {
  return (
    <fieldset className={styles.results} aria-describedby="result-problem">
      <legend>Decision</legend>
      {RESULTS.map((option) => (
        <label key={option.value} className={`${styles.result} ${styles[`result-${option.tone}`]}`}>
          <input
            type="radio"
            name="result"
            value={option.value}
            checked={result === option.value}
            onChange={() => onChange(option.value)}
          />
          <span className={styles.resultLabel}>{option.label}</span>
          <span className={styles.resultHint}>{option.hint}</span>
        </label>
      ))}
      <p id="result-problem" className={styles.fieldError}>
        {problem}
      </p>
    </fieldset>
  );
}

/** A field per characteristic the gate measures, with the problem about all of them above. */
function MeasurementSet({
  gate,
  values,
  onChange,
  problem,
  fieldProblem,
}: {
  gate: Gate;
  values: Record<string, string>;
  onChange(name: string, value: string): void;
  problem: Problem | null;
  fieldProblem: FieldProblem;
}) {
  return (
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
            onChange={(value) => onChange(spec.name, value)}
            problem={fieldProblem(`measurement:${spec.name}`)}
          />
        ))}
      </div>
    </fieldset>
  );
}

/** Record, and the outcome: the refusal (or where to look for it) or what was recorded. */
function DecisionActions({ draft }: { draft: DecisionDraft }) {
  const { problem, done, fetching } = draft;
  const { gate } = draft.gate;
  const { result } = draft.answers;
  const formProblem = problem && (!problem.field || !isShownByField(problem.field)) ? problem.message : null;
  return (
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
