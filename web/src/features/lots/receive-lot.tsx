"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { FormField } from "@/components/form-field";
import formStyles from "@/components/form.module.css";
import { useAttemptKey } from "@/lib/attempt-key";
import { formatDecimal } from "@/lib/format";
import { problemOf } from "@/lib/problem";
import { useAllMaterials } from "@/lib/use-all-materials";
import { ReceiveLotMutation, ReceiveOptionsQuery } from "./operations";
import styles from "./lots.module.css";

const STATUS_WORDS: Record<string, string> = {
  AVAILABLE: "available",
  QUARANTINE: "in quarantine until it passes inspection",
  ON_HOLD: "on hold: its supplier lot is held",
};

const EMPTY = {
  materialId: "",
  quantity: "",
  locationId: "",
  code: "",
  supplierId: "",
  supplierLotCode: "",
  expiresOn: "",
  serialNumbers: "",
};

/**
 * Receiving at the dock (OPERATOR): material, quantity, where it goes, the lot code on the label,
 * and the supplier's own lot code and expiry when there is one. The API decides the rest: an
 * expired delivery is refused, a held supplier lot arrives on hold, an inspected material arrives
 * in quarantine; the form says which.
 */
export function ReceiveLot({ onClose }: { onClose(): void }) {
  const [form, setForm] = useState(EMPTY);
  const [received, setReceived] = useState<{ code: string; text: string } | null>(null);
  const { materials, loading: materialsLoading } = useAllMaterials();
  const [{ data: options }] = useQuery({ query: ReceiveOptionsQuery });
  const [{ fetching, error }, receive] = useMutation(ReceiveLotMutation);
  const attempt = useAttemptKey();
  const problem = error ? problemOf(error) : null;
  const fieldError = (field: string) => (problem?.field === field ? problem.message : undefined);
  const material = materials.find((m) => m.id === form.materialId);
  const serial = material?.tracking === "SERIAL";
  const serials = form.serialNumbers
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

  const set = (field: keyof typeof EMPTY) => (event: { target: { value: string } }) => {
    attempt.renew();
    setForm({ ...form, [field]: event.target.value });
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setReceived(null);
    const result = await receive({
      input: {
        materialId: form.materialId,
        quantity: serial ? String(serials.length) : form.quantity.trim(),
        locationId: form.locationId,
        code: form.code.trim(),
        ...(form.supplierId ? { supplierId: form.supplierId } : {}),
        ...(form.supplierLotCode.trim() ? { supplierLotCode: form.supplierLotCode.trim() } : {}),
        // The end of the day picked, in the plant's time: "expires on the 12th" means usable on the 12th.
        ...(form.expiresOn ? { expiresAt: new Date(`${form.expiresOn}T23:59:59`).toISOString() } : {}),
        ...(serial ? { serialNumbers: serials } : {}),
        idempotencyKey: attempt.current(),
      },
    });
    if (result.data) {
      const lot = result.data.receiveLot.lot;
      attempt.renew();
      setReceived({
        code: lot.code,
        text: `${formatDecimal(lot.quantity)} ${lot.uom} at ${lot.location?.name ?? "—"}, ${STATUS_WORDS[lot.status] ?? lot.status.toLowerCase()}.`,
      });
      setForm({ ...EMPTY, materialId: form.materialId, locationId: form.locationId, supplierId: form.supplierId });
    }
  }

  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="receive-title">
      <h2 id="receive-title">Receive a lot</h2>
      {received && (
        <p className={formStyles.success} role="status">
          Received <Link href={`/lots/${encodeURIComponent(received.code)}`}>{received.code}</Link>: {received.text}
        </p>
      )}
      <div className={formStyles.grid}>
        <FormField
          label="Material"
          error={fieldError("materialId")}
          hint={materialsLoading ? "Loading materials…" : undefined}
        >
          <select className="input" value={form.materialId} onChange={set("materialId")}>
            <option value="">Choose a material</option>
            {materials.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.sku})
              </option>
            ))}
          </select>
        </FormField>
        {serial ? (
          <FormField
            label={`Serial numbers (${serials.length})`}
            error={fieldError("serialNumbers") ?? fieldError("quantity")}
            hint="One per line; a scanner ends each with Enter."
          >
            <textarea
              className={`input ${styles.serials}`}
              value={form.serialNumbers}
              onChange={set("serialNumbers")}
            />
          </FormField>
        ) : (
          <FormField label={`Quantity${material ? ` (${material.uom})` : ""}`} error={fieldError("quantity")}>
            <input className="input" inputMode="decimal" value={form.quantity} onChange={set("quantity")} />
          </FormField>
        )}
        <FormField label="Put it at" error={fieldError("locationId")}>
          <select className="input" value={form.locationId} onChange={set("locationId")}>
            <option value="">Choose a location</option>
            {options?.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Lot code" error={fieldError("code")} hint="The code on the label you put on it.">
          <input className="input" value={form.code} onChange={set("code")} autoComplete="off" spellCheck={false} />
        </FormField>
        <FormField label="Supplier (optional)" error={fieldError("supplierId")}>
          <select className="input" value={form.supplierId} onChange={set("supplierId")}>
            <option value="">No supplier</option>
            {options?.parties.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.code})
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Supplier lot code (optional)" error={fieldError("supplierLotCode")}>
          <input
            className="input"
            value={form.supplierLotCode}
            onChange={set("supplierLotCode")}
            autoComplete="off"
            spellCheck={false}
          />
        </FormField>
        <FormField label="Expires on (optional)" error={fieldError("expiresAt")}>
          <input className="input" type="date" value={form.expiresOn} onChange={set("expiresOn")} />
        </FormField>
      </div>
      <div className={formStyles.actions}>
        {problem && !problem.field && (
          <p className={formStyles.fieldError} role="alert">
            {problem.message}
          </p>
        )}
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Receiving…" : "Receive"}
        </button>
      </div>
    </form>
  );
}
