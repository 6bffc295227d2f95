"use client";

import { useMutation } from "urql";
import { SignatureDialog, signatureProblem } from "@/components/signature-dialog";
import type { Disposition, NonConformanceRowFragment } from "@/gql/graphql";
import { problemOf } from "@/lib/problem";
import { CloseNonConformanceMutation, SetDispositionMutation } from "./operations";
import styles from "./quality.module.css";

const DISPOSITIONS: ReadonlyArray<{ value: Disposition; label: string; hint: string }> = [
  { value: "USE_AS_IS", label: "Use as is", hint: "The lot may be used; its holds stay until released." },
  { value: "REWORK", label: "Rework", hint: "The material is reworked before use." },
  { value: "SCRAP", label: "Scrap", hint: "The lot is scrapped now, everything on hand: this cannot be undone." },
  { value: "RETURN_TO_SUPPLIER", label: "Return to supplier", hint: "The material goes back to its supplier." },
];

export const dispositionLabel = (value: string) => DISPOSITIONS.find((d) => d.value === value)?.label ?? value;

/** Setting (or changing) a nonconformance's disposition and corrective action, signed. */
export function DispositionDialog({
  ncr: disposing,
  onClose,
  onSigned,
}: {
  ncr: NonConformanceRowFragment;
  onClose(): void;
  onSigned(message: string): void;
}) {
  const [, setDisposition] = useMutation(SetDispositionMutation);
  return (
    <SignatureDialog
      title={`Disposition of ${disposing.number}`}
      summary={<p>{disposing.description}</p>}
      meaning="disposition approved"
      submitLabel="Sign disposition"
      onClose={onClose}
      onSign={async (signature, form) => {
        const result = await setDisposition({
          input: {
            nonConformanceId: disposing.id,
            disposition: String(form.get("disposition")) as Disposition,
            correctiveAction: String(form.get("correctiveAction") ?? "").trim() || null,
            signature,
          },
        });
        if (result.error) return signatureProblem(result.error, problemOf);
        onSigned(`${disposing.number}: disposition signed.`);
        return null;
      }}
    >
      <DispositionChoices current={disposing.disposition ?? null} />
      <label>
        Corrective action
        <textarea
          name="correctiveAction"
          className="input"
          rows={2}
          maxLength={2000}
          defaultValue={disposing.correctiveAction ?? ""}
        />
      </label>
    </SignatureDialog>
  );
}

/** The dispositions to choose from, the current one (or the first) chosen. */
function DispositionChoices({ current }: { current: string | null }) {
  return (
    <fieldset className={styles.dispositions}>
      <legend>Disposition</legend>
      {DISPOSITIONS.map((d, index) => (
        <label key={d.value} className={styles.disposition}>
          <input
            type="radio"
            name="disposition"
            value={d.value}
            required
            defaultChecked={current ? current === d.value : index === 0}
          />
          <span>
            <strong>{d.label}</strong>
            <span className={styles.kindHint}>{d.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Closing a nonconformance once its disposition is set, signed. */
export function CloseNonConformanceDialog({
  ncr: closing,
  onClose,
  onSigned,
}: {
  ncr: NonConformanceRowFragment;
  onClose(): void;
  onSigned(message: string): void;
}) {
  const [, close] = useMutation(CloseNonConformanceMutation);
  return (
    <SignatureDialog
      title={`Close ${closing.number}`}
      summary={
        <p>
          {closing.description} — disposition <strong>{dispositionLabel(closing.disposition ?? "")}</strong>.
        </p>
      }
      meaning="nonconformance closed"
      submitLabel="Sign and close"
      onClose={onClose}
      onSign={async (signature) => {
        const result = await close({ input: { nonConformanceId: closing.id, signature } });
        if (result.error) return signatureProblem(result.error, problemOf);
        onSigned(`${closing.number} closed.`);
        return null;
      }}
    />
  );
}
