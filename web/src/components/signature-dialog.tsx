"use client";

import type { CombinedError } from "@urql/core";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { describeError, errorCode } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import styles from "./signature-dialog.module.css";

/** Why an action was refused, and the field to mark when the refusal is about one. */
export interface DialogProblem {
  message: string;
  field?: string;
}

interface ActionDialogProps {
  title: string;
  /** What the action is about, above the fields (the lot, the hold, the nonconformance). */
  summary?: ReactNode;
  submitLabel: string;
  busyLabel?: string;
  /** Resolves to null when done (the dialog then closes), or to the problem to show in it. */
  onSubmit(form: FormData): Promise<DialogProblem | null>;
  onClose(): void;
  /** The fields; a function gets the current problem, to mark the field it is about. */
  children: ReactNode | ((problem: DialogProblem | null) => ReactNode);
}

/**
 * A modal form: a labelled heading, focus on the first field when it opens, Escape or Cancel
 * closes it, and a refusal is shown inside it so nothing typed is lost.
 */
export function ActionDialog({
  title,
  summary,
  submitLabel,
  busyLabel = "Saving…",
  onSubmit,
  onClose,
  children,
}: ActionDialogProps) {
  const ref = useModalOnMount();
  const titleId = useId();
  const { busy, problem, submit } = useDialogSubmit(onSubmit, onClose);

  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit} className={styles.form}>
        <h2 id={titleId} className={styles.title}>
          {title}
        </h2>
        {summary && <div className={styles.summary}>{summary}</div>}
        {typeof children === "function" ? children(problem) : children}
        {problem && (
          <p role="alert" className={styles.problem}>
            {problem.message}
          </p>
        )}
        <DialogActions busy={busy} label={busy ? busyLabel : submitLabel} onClose={onClose} />
      </form>
    </dialog>
  );
}

/** Opens the dialog as a modal when it mounts, and closes it when it unmounts. */
function useModalOnMount() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    // showModal() focuses the first field (the buttons come after the fields) and traps focus.
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return ref;
}

/** Submits the form, closes on success, or keeps the problem and focuses the field it is about. */
function useDialogSubmit(onSubmit: ActionDialogProps["onSubmit"], onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<DialogProblem | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setProblem(null);
    const result = await onSubmit(new FormData(form));
    setBusy(false);
    if (!result) return onClose();
    setProblem(result);
    const field = result.field ? form.elements.namedItem(result.field) : null;
    if (field instanceof HTMLElement) field.focus();
  }

  return { busy, problem, submit };
}

function DialogActions({ busy, label, onClose }: { busy: boolean; label: string; onClose(): void }) {
  return (
    <div className={styles.actions}>
      <button type="button" className="button" onClick={onClose} disabled={busy}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={busy}>
        {label}
      </button>
    </div>
  );
}

/** The electronic signature a signed mutation takes (`SignatureInput`). */
export interface SignatureValues {
  password: string;
  meaning: string;
}

interface SignatureDialogProps extends Omit<ActionDialogProps, "onSubmit" | "children"> {
  /** The action's own fields, above the signature. */
  children?: ReactNode;
  /** Prefilled, editable: what the signature means, e.g. "approved for release". */
  meaning: string;
  onSign(signature: SignatureValues, form: FormData): Promise<DialogProblem | null>;
}

/**
 * A signed action (21 CFR Part 11): the action's own fields (children), then the signer's
 * password re-entered and the meaning of the signature. The password is never kept after the
 * dialog closes.
 */
export function SignatureDialog({ meaning, onSign, children, submitLabel, ...dialog }: SignatureDialogProps) {
  return (
    <ActionDialog
      {...dialog}
      submitLabel={submitLabel}
      busyLabel="Signing…"
      onSubmit={(form) =>
        onSign({ password: String(form.get("password") ?? ""), meaning: String(form.get("meaning") ?? "") }, form)
      }
    >
      {(problem) => (
        <>
          {children}
          <fieldset className={styles.signature}>
            <legend>Electronic signature</legend>
            <label className={styles.field}>
              Meaning of the signature
              <input name="meaning" className="input" defaultValue={meaning} required autoComplete="off" />
            </label>
            <label className={styles.field}>
              Your password
              <input
                name="password"
                type="password"
                className={`input ${problem?.field === "password" ? styles.invalid : ""}`}
                required
                autoComplete="current-password"
                aria-invalid={problem?.field === "password" ? true : undefined}
              />
            </label>
            <p className={styles.hint}>Re-enter the password you sign in with. Your name and the time are recorded.</p>
          </fieldset>
        </>
      )}
    </ActionDialog>
  );
}

/**
 * A signed mutation's refusal: SIGNATURE_REQUIRED is a wrong password (marked on the password
 * field) or, with `lockedUntil`, a signer locked out after repeated wrong passwords; anything
 * else goes through `otherwise`.
 */
export function signatureProblem(
  error: CombinedError,
  otherwise: (error: CombinedError) => DialogProblem = (e) => ({ message: describeError(e) }),
): DialogProblem {
  if (errorCode(error) !== "SIGNATURE_REQUIRED") return otherwise(error);
  const lockedUntil = error.graphQLErrors[0]?.extensions["lockedUntil"];
  if (typeof lockedUntil === "string")
    return {
      message: `Signing is locked until ${formatDateTime(lockedUntil)} after repeated wrong passwords. Wait, or ask another manager to sign.`,
    };
  return { message: "Wrong password: the signature was not accepted. Re-enter your own password.", field: "password" };
}
