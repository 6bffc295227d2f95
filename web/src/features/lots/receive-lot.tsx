"use client";

import Link from "next/link";
import { FormActions } from "@/components/form-actions";
import formStyles from "@/components/form.module.css";
import { ReceiptFields } from "./receipt-fields";
import { useReceiveLot } from "./use-receive-lot";

/**
 * Receiving at the dock (OPERATOR): material, quantity, where it goes, the lot code on the label,
 * and the supplier's own lot code and expiry when there is one. The API decides the rest: an
 * expired delivery is refused, a held supplier lot arrives on hold, an inspected material arrives
 * in quarantine; the form says which.
 */
export function ReceiveLot({ onClose }: { onClose(): void }) {
  const receipt = useReceiveLot();
  const { received, submit, problem, fetching } = receipt;
  return (
    <form className={formStyles.card} onSubmit={submit} noValidate aria-labelledby="receive-title">
      <h2 id="receive-title">Receive a lot</h2>
      {received && (
        <p className={formStyles.success} role="status">
          Received <Link href={`/lots/${encodeURIComponent(received.code)}`}>{received.code}</Link>: {received.text}
        </p>
      )}
      <ReceiptFields receipt={receipt} />
      <FormActions problem={problem} busy={fetching} label="Receive" busyLabel="Receiving…">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </FormActions>
    </form>
  );
}
