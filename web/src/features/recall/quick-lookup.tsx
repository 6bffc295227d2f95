"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import styles from "./recall.module.css";

/**
 * What a lot or a supplier's lot code reached, without opening a case: the look-up anyone signed
 * in may run (`/recall?lot=` or `?supplierLotCode=`).
 */
export function QuickLookup({ compact = false }: { compact?: boolean }) {
  const router = useRouter();
  const id = useId();
  const [kind, setKind] = useState<"lot" | "supplierLotCode">("lot");
  const [code, setCode] = useState("");
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = code.trim();
    if (value) router.push(`/recall?${new URLSearchParams({ [kind]: value }).toString()}`);
  }
  return (
    <form
      className={`${styles.lookup} ${compact ? styles.lookupCompact : ""}`}
      onSubmit={submit}
      aria-label="Look up without opening a case"
    >
      <label htmlFor={`${id}-kind`} className="visually-hidden">
        Look up by
      </label>
      <select
        id={`${id}-kind`}
        className={`input ${styles.lookupKind}`}
        value={kind}
        onChange={(event) => setKind(event.target.value === "lot" ? "lot" : "supplierLotCode")}
      >
        <option value="lot">Our lot code</option>
        <option value="supplierLotCode">Supplier lot code</option>
      </select>
      <label htmlFor={`${id}-code`} className="visually-hidden">
        Code to look up
      </label>
      <input
        id={`${id}-code`}
        className={`input ${styles.lookupCode}`}
        placeholder={kind === "lot" ? "Scan or type a lot code" : "The supplier's lot code"}
        autoComplete="off"
        spellCheck={false}
        value={code}
        onChange={(event) => setCode(event.target.value)}
      />
      <button type="submit" className="button">
        Look up
      </button>
    </form>
  );
}
