"use client";

import Link from "next/link";
import type { useRecallSource } from "./use-recall-source";
import styles from "./recall.module.css";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What the source reaches, before anything is held: the count of affected lots a real recall
 * holds, what is finished, what is still in the plant, and who received some.
 */
export function SourcePreview({ source, drill }: { source: ReturnType<typeof useRecallSource>; drill: boolean }) {
  const { preview, previewProblem } = source;
  // The problem itself is said at the code's field.
  if (previewProblem)
    return (
      <div className={`${styles.preview} ${styles.previewProblem}`}>
        <h2>What it reaches</h2>
        <p>Nothing yet: Lotgraph found no lot for this code.</p>
      </div>
    );
  if (!preview)
    return (
      <div className={styles.preview} role="status" aria-live="polite">
        <h2>What it reaches</h2>
        <p className={styles.previewWaiting}>
          {source.previewing || source.check.state === "checking"
            ? "Finding everything it reached…"
            : "Enter the code: every lot it reached and every customer who received some show here before anything is held."}
        </p>
      </div>
    );
  const customers = [...new Map(preview.shipments.map((s) => [s.customer.id, s.customer.name])).values()];
  const affected = preview.affectedLots.length;
  const lookup = source.source
    ? `/recall?${new URLSearchParams("lotId" in source.source ? { lot: source.source.code } : { supplierLotCode: source.source.supplierLotCode }).toString()}`
    : "/recall";
  return (
    <div className={styles.preview} role="status" aria-live="polite" data-testid="recall-preview">
      <h2>What it reaches</h2>
      <p className={styles.previewCount}>
        <strong>{affected}</strong> affected {affected === 1 ? "lot" : "lots"}
      </p>
      <ul className={styles.previewFacts}>
        <li>{count(preview.finishedLots.length, "lot of finished goods", "lots of finished goods")}</li>
        <li>{count(preview.onHand.length, "lot still in the plant", "lots still in the plant")}</li>
        <li>
          {count(preview.shipments.length, "shipment", "shipments")} to{" "}
          {count(customers.length, "customer", "customers")}
          {customers.length > 0 && `: ${customers.slice(0, 4).join(", ")}${customers.length > 4 ? "…" : ""}`}
        </li>
      </ul>
      <p className={drill ? styles.previewDrill : styles.previewHold}>
        {drill
          ? "A drill holds nothing and tells nobody: the plant carries on as it is."
          : `Opening the recall holds all ${count(affected, "lot", "lots")} at once, and any lot made from them later.`}
      </p>
      <Link href={lookup} target="_blank" rel="noopener" className={styles.previewLink}>
        See every lot (opens a new tab)
      </Link>
    </div>
  );
}
