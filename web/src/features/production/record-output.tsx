"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import type { ProductionRunConsoleQuery } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { formatQuantity } from "./quantity";
import { useAttemptKey } from "@/lib/attempt-key";
import { RecordOutputMutation } from "./operations";
import type { Run } from "./use-run";
import styles from "./run-console.module.css";

type Location = ProductionRunConsoleQuery["locations"][number];

/** A lot code when the operator has no label yet: work order, run and output number, unique per run. */
function suggestedCode(run: Run): string {
  const runNumber = run.workOrder.runs.findIndex((r) => r.id === run.id) + 1;
  return `${run.workOrder.number}-${runNumber || 1}-${run.outputs.length + 1}`;
}

function serialLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The output form's state, and recording it with a key that survives a retry of the same attempt. */
function useRecordOutput(run: Run, onChanged: () => void) {
  const serialTracked = run.workOrder.product.tracking === "SERIAL";
  const [quantity, setQuantity] = useState("");
  const [code, setCode] = useState("");
  const [serials, setSerials] = useState("");
  const [locationId, setLocationId] = useState("");
  const [message, setMessage] = useState<{ tone: "error" | "ok"; text: string } | null>(null);
  const [recording, record] = useMutation(RecordOutputMutation);
  const attempt = useAttemptKey();
  const suggestion = suggestedCode(run);
  const serialNumbers = serialLines(serials);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    const lotCode = code.trim() || suggestion;
    const result = await record({
      input: {
        runId: run.id,
        quantity: serialTracked ? String(serialNumbers.length) : quantity.trim(),
        code: lotCode,
        locationId,
        ...(serialTracked ? { serialNumbers } : {}),
        idempotencyKey: attempt.current(),
      },
    });
    if (result.error || !result.data) {
      if (result.error?.graphQLErrors.length) attempt.renew();
      return setMessage({ tone: "error", text: result.error ? describeError(result.error) : "Nothing was recorded." });
    }
    const output = result.data.recordOutput.output;
    attempt.renew();
    setMessage({
      tone: "ok",
      text: `Recorded lot ${output.lot.code}: ${formatQuantity(output.quantity)} ${output.lot.uom}. Print its label from the outputs below.`,
    });
    setQuantity("");
    setCode("");
    setSerials("");
    onChanged();
  }
  return {
    fields: { quantity, setQuantity, code, setCode, serials, setSerials, locationId, setLocationId },
    serialNumbers,
    suggestion,
    message,
    recording: recording.fetching,
    renew: attempt.renew,
    submit,
  };
}

type OutputFields = ReturnType<typeof useRecordOutput>["fields"];

/** Records a lot of the product made by the run; serial-tracked products take one serial per unit. */
export function RecordOutput({ run, locations, onChanged }: { run: Run; locations: Location[]; onChanged(): void }) {
  const product = run.workOrder.product;
  const serialTracked = product.tracking === "SERIAL";
  const { fields, serialNumbers, suggestion, message, recording, renew, submit } = useRecordOutput(run, onChanged);
  const { code, setCode, locationId, setLocationId } = fields;

  return (
    <section className={styles.card} aria-labelledby="output-title">
      <h2 id="output-title">Record output</h2>
      <form
        className={serialTracked ? `${styles.outputForm} ${styles.outputSerial}` : styles.outputForm}
        onSubmit={(e) => void submit(e)}
        onChange={renew}
      >
        <QuantityOrSerials run={run} fields={fields} serialNumbers={serialNumbers} />
        <label>
          Lot code (optional)
          <input
            className="input"
            autoComplete="off"
            spellCheck={false}
            placeholder={suggestion}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-describedby="output-code-hint"
          />
          <span id="output-code-hint" className={styles.muted}>
            If empty: {suggestion}
          </span>
        </label>
        <label>
          Put it at
          <select className="input" required value={locationId} onChange={(e) => setLocationId(e.target.value)}>
            <option value="">Choose a location</option>
            {locations.map((location) => (
              <option key={location.id} value={location.id}>
                {location.name} ({location.code})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={`button button-primary ${styles.outputSubmit}`} disabled={recording}>
          {recording ? "Recording…" : "Record output"}
        </button>
      </form>
      {message && (
        <p
          role={message.tone === "error" ? "alert" : "status"}
          className={message.tone === "error" ? styles.refusal : styles.success}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}

/** The quantity made, or for a serial-tracked product one scanned serial per line. */
function QuantityOrSerials({
  run,
  fields,
  serialNumbers,
}: {
  run: Run;
  fields: OutputFields;
  serialNumbers: string[];
}) {
  const product = run.workOrder.product;
  const { quantity, setQuantity, serials, setSerials } = fields;
  if (product.tracking === "SERIAL")
    return (
      <label className={styles.serialField}>
        Serial numbers, one per line (scan each)
        <textarea
          className={`input ${styles.serials}`}
          rows={4}
          required
          spellCheck={false}
          autoComplete="off"
          value={serials}
          onChange={(e) => setSerials(e.target.value)}
        />
        <span className={styles.muted}>
          {serialNumbers.length} {serialNumbers.length === 1 ? "unit" : "units"} of {product.name}
        </span>
      </label>
    );
  return (
    <label>
      Quantity ({product.uom})
      <input
        className="input"
        inputMode="decimal"
        required
        autoComplete="off"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
      />
    </label>
  );
}
