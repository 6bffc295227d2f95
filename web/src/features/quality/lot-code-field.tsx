"use client";

import { useState } from "react";
import { useClient } from "urql";
import { LotStatusBadge } from "@/components/status-badge";
import type { LotByCodeQuery } from "@/gql/graphql";
import { describeError } from "@/lib/errors";
import { LotByCodeQuery as LotByCode } from "./operations";
import styles from "./quality.module.css";

export type FoundLot = NonNullable<LotByCodeQuery["lot"]>;

/** What the field knows about the code in it. */
export type LotLookup =
  | { state: "empty" }
  | { state: "typed"; code: string }
  | { state: "checking"; code: string }
  | { state: "found"; code: string; lot: FoundLot }
  | { state: "missing"; code: string }
  | { state: "failed"; code: string; message: string };

/** Resolves a lot code to its lot, once per code. */
export function useLotLookup() {
  const client = useClient();
  const [lookup, setLookup] = useState<LotLookup>({ state: "empty" });

  async function resolve(raw: string): Promise<LotLookup> {
    const code = raw.trim();
    if (!code) {
      setLookup({ state: "empty" });
      return { state: "empty" };
    }
    if (lookup.state === "found" && lookup.code === code) return lookup;
    setLookup({ state: "checking", code });
    const result = await client.query(LotByCode, { code }, { requestPolicy: "network-only" }).toPromise();
    const next: LotLookup = result.error
      ? { state: "failed", code, message: describeError(result.error) }
      : result.data?.lot
        ? { state: "found", code, lot: result.data.lot }
        : { state: "missing", code };
    setLookup(next);
    return next;
  }

  return {
    lookup,
    resolve,
    type: (code: string) => setLookup(code.trim() ? { state: "typed", code } : { state: "empty" }),
    clear: () => setLookup({ state: "empty" }),
  };
}

/**
 * A lot code, typed or scanned. A barcode scanner types the code and presses Enter: Enter looks
 * the code up at once (and does not submit the form); leaving the field does too.
 */
export function LotCodeField({
  id,
  label,
  lookup,
  value,
  onChange,
  onResolve,
  problem,
  required,
}: {
  id: string;
  label: string;
  lookup: LotLookup;
  value: string;
  onChange(value: string): void;
  onResolve(code: string): void;
  problem?: string;
  required?: boolean;
}) {
  const hintId = `${id}-hint`;
  const message =
    problem ??
    (lookup.state === "missing"
      ? `No lot ${lookup.code}. Check the code on the label, or scan it again.`
      : lookup.state === "failed"
        ? lookup.message
        : null);
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        className={`input ${styles.codeInput} ${message ? styles.invalid : ""}`}
        placeholder="Scan or type a lot code"
        autoComplete="off"
        spellCheck={false}
        required={required}
        value={value}
        aria-invalid={message ? true : undefined}
        aria-describedby={hintId}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== "Enter") return;
          event.preventDefault();
          onResolve(value);
        }}
        onBlur={() => onResolve(value)}
      />
      <LotCodeHint id={hintId} message={message} lookup={lookup} />
    </div>
  );
}

/** Under the field: the problem, the lot found, the lookup under way, or how to enter a code. */
function LotCodeHint({ id, message, lookup }: { id: string; message: string | null; lookup: LotLookup }) {
  return (
    <p id={id} className={message ? styles.fieldError : styles.fieldHint} aria-live="polite">
      {message ??
        (lookup.state === "checking" ? (
          "Looking the lot up…"
        ) : lookup.state === "found" ? (
          <span className={styles.foundLot}>
            <span aria-hidden="true">✓</span> {lookup.lot.material.name} <LotStatusBadge status={lookup.lot.status} />
          </span>
        ) : (
          "Scan the label, or type the code and press Enter."
        ))}
    </p>
  );
}
