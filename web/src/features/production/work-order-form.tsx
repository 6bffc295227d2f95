"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import type { ProductionReferenceQuery } from "@/gql/graphql";
import { useAllMaterials } from "@/lib/use-all-materials";
import { describeError } from "@/lib/errors";
import { useAttemptKey } from "@/lib/attempt-key";
import { CreateWorkOrderMutation } from "./operations";
import styles from "./production.module.css";

type Line = ProductionReferenceQuery["lines"][number];
type Gate = ProductionReferenceQuery["qcGates"][number];

interface PhaseDraft {
  key: number;
  name: string;
  gateId: string;
}

let phaseKeys = 0;
const newPhase = (name = ""): PhaseDraft => ({ key: ++phaseKeys, name, gateId: "" });
/** The plan's fields, its phases, and creating it with one idempotency key per attempt. */
function useWorkOrderPlan(onCreated: () => void) {
  const { materials, loading, failed } = useAllMaterials();
  const [productId, setProductId] = useState("");
  const [lineId, setLineId] = useState("");
  const [quantity, setQuantity] = useState("");
  const [phases, setPhases] = useState<PhaseDraft[]>(() => [newPhase()]);
  const [result, create] = useMutation(CreateWorkOrderMutation);
  const attempt = useAttemptKey();
  const [error, setError] = useState<string | null>(null);
  const product = materials.find((m) => m.id === productId);

  const update = (key: number, change: Partial<PhaseDraft>) => {
    attempt.renew();
    setPhases((all) => all.map((phase) => (phase.key === key ? { ...phase, ...change } : phase)));
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const created = await create({
      input: {
        productId,
        plannedQuantity: quantity.trim(),
        ...(lineId ? { lineId } : {}),
        phases: phases.map((phase) => ({ name: phase.name.trim(), ...(phase.gateId ? { gateId: phase.gateId } : {}) })),
        idempotencyKey: attempt.current(),
      },
    });
    if (created.error || !created.data) return setError(created.error ? describeError(created.error) : null);
    attempt.renew();
    onCreated();
  }

  return {
    materials: { materials, loading, failed, product },
    fields: { productId, setProductId, lineId, setLineId, quantity, setQuantity },
    routing: { phases, setPhases, update },
    fetching: result.fetching,
    renew: attempt.renew,
    error,
    submit,
  };
}

type Plan = ReturnType<typeof useWorkOrderPlan>;

/** Plans a work order (MANAGER): product, line, quantity and the routing with its gates. */
export function WorkOrderForm({
  lines,
  gates,
  onCancel,
  onCreated,
}: {
  lines: Line[];
  gates: Gate[];
  onCancel(): void;
  onCreated(): void;
}) {
  const plan = useWorkOrderPlan(onCreated);
  const { error, fetching, submit } = plan;
  return (
    <form
      className={styles.planForm}
      onSubmit={(e) => void submit(e)}
      aria-labelledby="plan-title"
      onChange={plan.renew}
    >
      <h2 id="plan-title">New work order</h2>
      <PlanFields plan={plan} lines={lines} />
      <PhaseDrafts routing={plan.routing} gates={gates} />
      {error && (
        <p className={styles.inlineError} role="alert">
          {error}
        </p>
      )}
      <div className={styles.formActions}>
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Planning…" : "Plan work order"}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** What to make, how much of it, and on which line. */
function PlanFields({ plan, lines }: { plan: Plan; lines: Line[] }) {
  const { materials, loading, failed, product } = plan.materials;
  const { productId, setProductId, lineId, setLineId, quantity, setQuantity } = plan.fields;
  return (
    <div className={styles.planGrid}>
      <label>
        Product
        <select className="input" required value={productId} onChange={(e) => setProductId(e.target.value)}>
          <option value="">{loading ? "Loading products…" : "Choose a product"}</option>
          {materials.map((material) => (
            <option key={material.id} value={material.id}>
              {material.name} ({material.sku})
            </option>
          ))}
        </select>
        {failed && <span className={styles.fieldError}>Products could not be loaded. Close and try again.</span>}
      </label>
      <label>
        Planned quantity{product ? ` (${product.uom})` : ""}
        <input
          className="input"
          required
          inputMode="decimal"
          pattern="[0-9]+([.][0-9]+)?"
          autoComplete="off"
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
        />
      </label>
      <label>
        Line
        <select className="input" value={lineId} onChange={(e) => setLineId(e.target.value)}>
          <option value="">No line</option>
          {lines.map((line) => (
            <option key={line.id} value={line.id}>
              {line.name} ({line.code})
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The routing being drafted: one row a phase, in order, each with its optional gate. */
function PhaseDrafts({ routing, gates }: { routing: Plan["routing"]; gates: Gate[] }) {
  const { phases, setPhases, update } = routing;
  return (
    <fieldset className={styles.phaseFieldset}>
      <legend>Phases, in order</legend>
      <ol className={styles.phaseDrafts}>
        {phases.map((phase, index) => (
          <li key={phase.key}>
            <span className={styles.phaseNumber} aria-hidden="true">
              {index + 1}
            </span>
            <label>
              <span className="visually-hidden">Phase {index + 1} name</span>
              <input
                className="input"
                required
                placeholder="e.g. Mix, Bake, Pack"
                value={phase.name}
                onChange={(e) => update(phase.key, { name: e.target.value })}
              />
            </label>
            <label>
              <span className="visually-hidden">Phase {index + 1} quality gate</span>
              <select
                className="input"
                value={phase.gateId}
                onChange={(e) => update(phase.key, { gateId: e.target.value })}
              >
                <option value="">No gate</option>
                {gates.map((gate) => (
                  <option key={gate.id} value={gate.id}>
                    Gate: {gate.name}
                    {gate.blocking ? " (blocking)" : ""}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="button"
              disabled={phases.length === 1}
              onClick={() => setPhases((all) => all.filter((p) => p.key !== phase.key))}
              aria-label={`Remove phase ${index + 1}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={() => setPhases((all) => [...all, newPhase()])}>
        + Add a phase
      </button>
    </fieldset>
  );
}
