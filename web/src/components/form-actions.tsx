import type { ReactNode } from "react";
import type { Problem } from "@/lib/problem";
import styles from "./form.module.css";

/**
 * A form's last row: the API's refusal when it names no field (a field's stands beside it), any
 * other buttons, and the submit button, which says what it is doing while the request runs.
 */
export function FormActions({
  problem,
  busy,
  label,
  busyLabel,
  children,
}: {
  problem: Problem | null;
  busy: boolean;
  label: string;
  busyLabel: string;
  children?: ReactNode;
}) {
  return (
    <div className={styles.actions}>
      {problem && !problem.field && (
        <p className={styles.fieldError} role="alert">
          {problem.message}
        </p>
      )}
      {children}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}
