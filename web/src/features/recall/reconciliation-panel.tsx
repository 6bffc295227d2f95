"use client";

import { Quantity } from "@lotgraph/kit/quantity";
import tableStyles from "@/components/data-table.module.css";
import type { RecallCase } from "./recall-case-screen";
import { percentText, quantityText } from "./recall-format";
import styles from "./recall.module.css";

type Line = RecallCase["reconciliation"]["lines"][number];

const COLUMNS: ReadonlyArray<{ key: keyof Omit<Line, "uom" | "percentAccountedFor">; label: string }> = [
  { key: "received", label: "Received" },
  { key: "consumed", label: "Consumed" },
  { key: "onHand", label: "On hand" },
  { key: "shipped", label: "Shipped" },
  { key: "scrapped", label: "Scrapped" },
  { key: "adjustments", label: "Adjustments" },
  { key: "unaccounted", label: "Unaccounted" },
];

/**
 * Where the source went, from inventory's ledger (a recall's now, a drill's when it ran), per
 * unit: received = consumed + on hand + shipped + scrapped ± adjustments. What is left over is
 * unaccounted: the mock recall's question.
 */
export function ReconciliationPanel({ recallCase: c }: { recallCase: RecallCase }) {
  const { reconciliation } = c;
  return (
    <div className={styles.stack}>
      <div className={styles.panelBar}>
        <p className={styles.panelIntro}>
          Where the source lots went, from the stock ledger {c.drill ? "when the drill ran" : "now"}: <em>received</em>{" "}
          = consumed + on hand + shipped + scrapped ± count adjustments.
        </p>
        <p
          className={`${styles.recovery} ${reconciliation.balanced ? styles.recoveryGood : styles.recoveryShort}`}
          data-testid="recovery"
        >
          <strong>{percentText(reconciliation.percentAccountedFor)}</strong>{" "}
          {reconciliation.balanced ? "found: the ledger balances" : "found: some of the source is unaccounted for"}
        </p>
      </div>
      {reconciliation.lines.length === 0 ? (
        <p className={styles.panelState}>The source lots have no stock movements yet.</p>
      ) : (
        <ReconciliationTable lines={reconciliation.lines} />
      )}
    </div>
  );
}

function ReconciliationTable({ lines }: { lines: readonly Line[] }) {
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">Reconciliation of the source, per unit</caption>
        <thead>
          <tr>
            <th scope="col">Unit</th>
            {COLUMNS.map((column) => (
              <th key={column.key} scope="col" className={styles.num}>
                {column.label}
              </th>
            ))}
            <th scope="col" className={styles.num}>
              Found
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.uom} data-testid="reconciliation-line">
              <th scope="row">{line.uom}</th>
              {COLUMNS.map((column) => (
                <td
                  key={column.key}
                  className={`${styles.num} ${column.key === "unaccounted" && !Quantity.of(line.unaccounted).isZero() ? styles.warn : ""}`}
                >
                  {column.key === "adjustments"
                    ? signed(line.adjustments, line.uom)
                    : quantityText(line[column.key], line.uom)}
                </td>
              ))}
              <td className={styles.num}>
                <strong>{percentText(line.percentAccountedFor)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A net adjustment with its sign: "+2 kg" found, "−1.5 kg" lost, "0 kg" none. */
function signed(value: string, uom: string): string {
  const quantity = Quantity.of(value);
  if (quantity.isZero()) return quantityText("0", uom);
  return quantity.isNegative() ? `−${quantityText(quantity.abs().toFixed(), uom)}` : `+${quantityText(value, uom)}`;
}
