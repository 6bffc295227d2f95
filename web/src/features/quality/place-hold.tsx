"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQuery } from "urql";
import type { QualityGatesQuery as QualityGatesData } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { LotCodeField, useLotLookup } from "./lot-code-field";
import {
  PlaceHoldMutation,
  PlaceLineHoldMutation,
  PlaceSupplierHoldMutation,
  QualityGatesQuery,
  QualityRunsQuery,
  SuppliersQuery,
} from "./operations";
import { problemOf, type Problem } from "@/lib/problem";
import styles from "./quality.module.css";

const KINDS = [
  { id: "lot", label: "A lot", hint: "and, by default, everything made from it" },
  { id: "supplier", label: "A supplier lot", hint: "every lot received under the code, now and later" },
  { id: "line", label: "A line's output", hint: "since its last pass of a gate" },
] as const;
type Kind = (typeof KINDS)[number]["id"];
type Gate = QualityGatesData["qcGates"][number];

const count = (n: number) => `${n} ${n === 1 ? "lot" : "lots"}`;

/** A manager holds material: a lot, a supplier lot code, or what a line made since a failed critical check. */
export function PlaceHold({ onPlaced }: { onPlaced(message: string): void }) {
  const [kind, setKind] = useState<Kind>("lot");
  return (
    <section id="place-hold" className={styles.card} aria-labelledby="place-hold-title">
      <h2 id="place-hold-title" className={styles.cardTitle}>
        Place a hold
      </h2>
      <fieldset className={styles.kinds}>
        <legend className="visually-hidden">What to hold</legend>
        {KINDS.map((option) => (
          <label key={option.id} className={styles.kind}>
            <input
              type="radio"
              name="hold-kind"
              value={option.id}
              checked={kind === option.id}
              onChange={() => setKind(option.id)}
            />
            <span>
              <strong>{option.label}</strong>
              <span className={styles.kindHint}>{option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {kind === "lot" ? (
        <LotHoldForm onPlaced={onPlaced} />
      ) : kind === "supplier" ? (
        <SupplierHoldForm onPlaced={onPlaced} />
      ) : (
        <LineHoldForm onPlaced={onPlaced} />
      )}
    </section>
  );
}

/** The reason field every hold takes, and the submit row with the refusal beside it. */
function HoldFormShell({
  label,
  busy,
  problem,
  onSubmit,
  children,
}: {
  label: string;
  busy: boolean;
  problem: Problem | null;
  onSubmit(event: FormEvent<HTMLFormElement>): void;
  children: ReactNode;
}) {
  const reasonProblem = problem?.field === "reason" ? problem.message : undefined;
  return (
    <form className={styles.holdForm} onSubmit={onSubmit} noValidate aria-label={label}>
      <div className={styles.formGrid}>{children}</div>
      <div className={styles.field}>
        <label htmlFor="hold-reason">Reason</label>
        <textarea
          id="hold-reason"
          name="reason"
          className={`input ${reasonProblem ? styles.invalid : ""}`}
          rows={2}
          maxLength={2000}
          aria-invalid={reasonProblem ? true : undefined}
          aria-describedby="hold-reason-problem"
        />
        <p id="hold-reason-problem" className={styles.fieldError}>
          {reasonProblem}
        </p>
      </div>
      <div className={styles.formActions}>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Placing the hold…" : "Place hold"}
        </button>
        {problem && problem.field !== "reason" && (
          <p className={styles.formProblem} role="alert">
            {problem.message}
          </p>
        )}
      </div>
    </form>
  );
}

/** An empty reason is refused here too: the API would, and this says it next to the field. */
function reasonOf(form: HTMLFormElement): string | Problem {
  const reason = String(new FormData(form).get("reason") ?? "").trim();
  return reason ? reason : { message: "Say why the material is held.", field: "reason" };
}

function LotHoldForm({ onPlaced }: { onPlaced(message: string): void }) {
  const [code, setCode] = useState("");
  const lot = useLotLookup();
  const [propagate, setPropagate] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, place] = useMutation(PlaceHoldMutation);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    const found = await lot.resolve(code);
    if (found.state === "empty") return setProblem({ message: "Scan or type the lot to hold.", field: "lotId" });
    if (found.state !== "found") return;
    const reason = reasonOf(form);
    if (typeof reason !== "string") return setProblem(reason);
    const result = await place({ input: { lotId: found.lot.id, reason, propagate } });
    if (result.error) return setProblem(problemOf(result.error));
    const placed = result.data?.placeHold;
    const shipped = placed?.shippedLots.map((l) => l.code) ?? [];
    onPlaced(
      `${found.lot.code} is on hold${placed && placed.affectedLots.length > 1 ? ` with ${count(placed.affectedLots.length - 1)} made from it` : ""}.` +
        (shipped.length ? ` Already shipped: ${shipped.join(", ")} — consider a recall.` : ""),
    );
    form.reset();
    setCode("");
    lot.clear();
  }

  return (
    <HoldFormShell label="Hold a lot" busy={fetching} problem={problem} onSubmit={submit}>
      <LotCodeField
        id="hold-lot"
        label="Lot code"
        lookup={lot.lookup}
        value={code}
        onChange={(value) => {
          setCode(value);
          lot.type(value);
        }}
        onResolve={(value) => void lot.resolve(value)}
        problem={problem?.field === "lotId" ? problem.message : undefined}
      />
      <label className={styles.check}>
        <input type="checkbox" checked={propagate} onChange={(event) => setPropagate(event.target.checked)} />
        <span>
          Also hold everything made from it
          <span className={styles.kindHint}>Every descendant lot, now and made later</span>
        </span>
      </label>
    </HoldFormShell>
  );
}

function SupplierHoldForm({ onPlaced }: { onPlaced(message: string): void }) {
  const [{ data, error }] = useQuery({ query: SuppliersQuery, requestPolicy: "cache-and-network" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, place] = useMutation(PlaceSupplierHoldMutation);
  const suppliers = data?.parties ?? [];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    const values = new FormData(form);
    const supplierId = String(values.get("supplierId") ?? "");
    const supplierLotCode = String(values.get("supplierLotCode") ?? "").trim();
    if (!supplierId) return setProblem({ message: "Choose the supplier.", field: "supplierId" });
    if (!supplierLotCode)
      return setProblem({ message: "Type the supplier's lot code, as on their label.", field: "supplierLotCode" });
    const reason = reasonOf(form);
    if (typeof reason !== "string") return setProblem(reason);
    const result = await place({ input: { supplierId, supplierLotCode, reason } });
    if (result.error) return setProblem(problemOf(result.error));
    const held = result.data?.placeSupplierHold.affectedLots.length ?? 0;
    onPlaced(`Supplier lot ${supplierLotCode} is on hold: ${count(held)} held now, later receipts arrive on hold.`);
    form.reset();
  }

  const fieldProblem = (field: string) => (problem?.field === field ? problem.message : undefined);
  return (
    <HoldFormShell label="Hold a supplier lot" busy={fetching} problem={problem} onSubmit={submit}>
      <SelectField
        id="hold-supplier"
        name="supplierId"
        label="Supplier"
        problem={fieldProblem("supplierId")}
        hint={error ? "The suppliers could not be read." : suppliers.length === 0 ? "No supplier is registered." : ""}
      >
        <option value="">Choose a supplier</option>
        {suppliers.map((supplier) => (
          <option key={supplier.id} value={supplier.id}>
            {supplier.name} ({supplier.code})
          </option>
        ))}
      </SelectField>
      <SupplierLotCodeField problem={fieldProblem("supplierLotCode")} />
    </HoldFormShell>
  );
}

function LineHoldForm({ onPlaced }: { onPlaced(message: string): void }) {
  const [{ data: lineData, error }] = useQuery({ query: QualityRunsQuery, requestPolicy: "cache-and-network" });
  const [{ data: gateData }] = useQuery({ query: QualityGatesQuery });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [{ fetching }, place] = useMutation(PlaceLineHoldMutation);
  const lines = lineData?.lines ?? [];
  // Critical control points first: they are what a line hold is for.
  const gates = [...(gateData?.qcGates ?? [])].sort(
    (a, b) => Number(b.criticalControlPoint) - Number(a.criticalControlPoint),
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setProblem(null);
    const values = new FormData(form);
    const lineId = String(values.get("lineId") ?? "");
    const gateId = String(values.get("gateId") ?? "");
    if (!lineId) return setProblem({ message: "Choose the line.", field: "lineId" });
    if (!gateId) return setProblem({ message: "Choose the gate that failed.", field: "gateId" });
    const reason = reasonOf(form);
    if (typeof reason !== "string") return setProblem(reason);
    const result = await place({ input: { lineId, gateId, reason } });
    if (result.error) return setProblem(problemOf(result.error));
    const placed = result.data?.placeLineHold;
    const line = lines.find((l) => l.id === lineId);
    onPlaced(
      `${count(placed?.affectedLots.length ?? 0)} from ${line?.name ?? "the line"} on hold, ` +
        (placed?.since
          ? `made since ${formatDateTime(placed.since)}.`
          : "everything it ever made (no pass there yet)."),
    );
    form.reset();
  }

  const fieldProblem = (field: string) => (problem?.field === field ? problem.message : undefined);
  return (
    <HoldFormShell label="Hold a line's output" busy={fetching} problem={problem} onSubmit={submit}>
      <SelectField
        id="hold-line"
        name="lineId"
        label="Line"
        problem={fieldProblem("lineId")}
        hint={error ? "The lines could not be read." : ""}
      >
        <option value="">Choose a line</option>
        {lines.map((line) => (
          <option key={line.id} value={line.id}>
            {line.name} ({line.code})
          </option>
        ))}
      </SelectField>
      <GateSelect gates={gates} problem={fieldProblem("gateId")} />
    </HoldFormShell>
  );
}

/** The supplier's own lot code, as on their label. */
function SupplierLotCodeField({ problem }: { problem: string | undefined }) {
  return (
    <div className={styles.field}>
      <label htmlFor="hold-supplier-lot">Supplier lot code</label>
      <input
        id="hold-supplier-lot"
        name="supplierLotCode"
        className={`input ${styles.codeInput} ${problem ? styles.invalid : ""}`}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby="hold-supplier-lot-hint"
      />
      <p id="hold-supplier-lot-hint" className={problem ? styles.fieldError : styles.fieldHint}>
        {problem ?? "As printed on the supplier's label."}
      </p>
    </div>
  );
}

/** The gate that failed, in the order given (critical control points first). */
function GateSelect({ gates, problem }: { gates: Gate[]; problem: string | undefined }) {
  return (
    <SelectField
      id="hold-gate"
      name="gateId"
      label="Gate that failed"
      problem={problem}
      hint="Everything the line made since its last pass here is held."
    >
      <option value="">Choose a gate</option>
      {gates.map((gate) => (
        <option key={gate.id} value={gate.id}>
          {gate.name}
          {gate.criticalControlPoint ? " (critical control point)" : ""}
        </option>
      ))}
    </SelectField>
  );
}

function SelectField({
  id,
  name,
  label,
  problem,
  hint,
  children,
}: {
  id: string;
  name: string;
  label: string;
  problem?: string;
  hint: string;
  children: ReactNode;
}) {
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        className={`input ${problem ? styles.invalid : ""}`}
        defaultValue=""
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
      >
        {children}
      </select>
      <p id={`${id}-hint`} className={problem ? styles.fieldError : styles.fieldHint}>
        {problem ?? hint}
      </p>
    </div>
  );
}
