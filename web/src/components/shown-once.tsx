"use client";

import { useState, type ReactNode } from "react";
import styles from "@/features/admin/admin.module.css";

/**
 * A credential shown once (a service account's token, a webhook's signing secret): what it is
 * and where to put it, the value ready to select, and a button to copy it.
 */
export function ShownOnce({
  label,
  copyLabel,
  value,
  children,
}: {
  /** The value's accessible name, e.g. "Token for Line 4 display". */
  label: string;
  copyLabel: string;
  value: string;
  /** What it is and where it goes. */
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={styles.token} role="status">
      <p>{children}</p>
      <textarea
        className={`input ${styles.tokenText}`}
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        className="button"
        onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}
      >
        {copied ? "Copied" : copyLabel}
      </button>
    </div>
  );
}
