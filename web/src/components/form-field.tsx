"use client";

import { cloneElement, useId, type ReactElement } from "react";
import styles from "./form.module.css";

type Control = ReactElement<{ id?: string; "aria-describedby"?: string; "aria-invalid"?: boolean }>;

/**
 * A labelled control with its hint, or the API's message for it, underneath. The message is the
 * control's description, not part of its name: a screen reader (and a test) finds "Lot code" by
 * its label alone, and hears the hint or the error after it.
 */
export function FormField({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  children: Control;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className={styles.field}>
      <label className={styles.label} htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, "aria-describedby": noteId, "aria-invalid": error ? true : undefined })}
      <span id={noteId} className={error ? styles.fieldError : styles.hint} role={error ? "alert" : undefined}>
        {error ?? hint ?? ""}
      </span>
    </div>
  );
}
