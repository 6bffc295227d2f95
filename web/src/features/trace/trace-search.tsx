"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import pageStyles from "@/components/page.module.css";
import styles from "./trace.module.css";

/**
 * Where a trace or a recall starts: a lot code (typed, or scanned from a label: a scanner types and
 * presses Enter) or a supplier's lot code from a delivery note or a supplier's notice.
 */
export function TraceSearch() {
  return (
    <>
      <div className={pageStyles.toolbar}>
        <div>
          <h1 className={pageStyles.title}>Trace and recall</h1>
          <p className={pageStyles.lede}>
            Follow a lot to what it was made from and what was made from it, or find everything a supplier&apos;s lot
            reached.
          </p>
        </div>
      </div>
      <div className={styles.searchCards}>
        <CodeForm
          title="Trace a lot"
          help="The genealogy both ways, as a graph, with every lot's status."
          label="Lot code"
          action="Trace"
          to={(code) => `/trace/${encodeURIComponent(code)}`}
        />
        <CodeForm
          title="Recall from a lot"
          help="Every lot made from it, what is still on hand and where, and who received shipments."
          label="Lot code to recall"
          action="Recall"
          to={(code) => `/recall?lot=${encodeURIComponent(code)}`}
        />
        <CodeForm
          title="Recall a supplier's lot"
          help="Every lot received under the supplier's lot code, and everything made from them."
          label="Supplier lot code"
          action="Recall"
          to={(code) => `/recall?supplierLotCode=${encodeURIComponent(code)}`}
        />
      </div>
    </>
  );
}

function CodeForm({
  title,
  help,
  label,
  action,
  to,
}: {
  title: string;
  help: string;
  label: string;
  action: string;
  to: (code: string) => string;
}) {
  const router = useRouter();
  const [code, setCode] = useState("");
  const inputId = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = code.trim();
    if (trimmed) router.push(to(trimmed));
  }
  return (
    <form className={styles.searchCard} onSubmit={submit}>
      <h2>{title}</h2>
      <p>{help}</p>
      <label className={styles.field} htmlFor={inputId}>
        {label}
      </label>
      <div className={styles.searchRow}>
        <input
          id={inputId}
          className="input"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <button type="submit" className="button button-primary">
          {action}
        </button>
      </div>
    </form>
  );
}
