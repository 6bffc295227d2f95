"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { useAttemptKey } from "@/lib/attempt-key";
import { formatDecimal } from "@/lib/format";
import { problemOf } from "@/lib/problem";
import { useAllMaterials } from "@/lib/use-all-materials";
import { ReceiveLotMutation, ReceiveOptionsQuery } from "./operations";

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

/** One serial number a line, as a scanner types them, without blank lines. */
const serialsOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The receipt form's state and its submission: a new idempotency key whenever a field changes,
 * and the material, location and supplier kept for the next lot of the same delivery.
 */
export function useReceiveLot() {
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
  const serials = serialsOf(form.serialNumbers);

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

  return {
    form,
    set,
    received,
    materials,
    materialsLoading,
    options,
    fetching,
    problem,
    fieldError,
    material,
    serial,
    serials,
    submit,
  };
}

export type Receipt = ReturnType<typeof useReceiveLot>;
