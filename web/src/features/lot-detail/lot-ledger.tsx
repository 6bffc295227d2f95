"use client";

import { describeError } from "@/lib/errors";
import { formatDateTime, formatDecimal } from "@/lib/format";
import type { Lot } from "./lot-types";
import { useLedger } from "./use-ledger";
import styles from "./lot-detail.module.css";

const MOVEMENT_LABEL: Record<string, string> = {
  RECEIPT: "Received",
  PRODUCTION: "Produced",
  CONSUMPTION: "Consumed",
  SHIPMENT: "Shipped",
  ADJUSTMENT: "Adjusted",
  TRANSFER: "Moved",
  SCRAP: "Scrapped",
};

/** The lot's stock movements, newest first, a page at a time. */
export function Ledger({ code, first }: { code: string; first: Lot["movements"] }) {
  const ledger = useLedger(code, first);
  if (ledger.movements.length === 0) return <p className={styles.muted}>No movement yet.</p>;
  return (
    <>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption className="visually-hidden">Stock movements of lot {code}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Movement</th>
              <th scope="col" className={styles.number}>
                Quantity
              </th>
              <th scope="col" className={styles.number}>
                Balance
              </th>
              <th scope="col">Who</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {ledger.movements.map((movement) => (
              <tr key={movement.id} data-testid="movement-row">
                <td data-label="When">{formatDateTime(movement.createdAt)}</td>
                <td data-label="Movement">{MOVEMENT_LABEL[movement.kind] ?? movement.kind}</td>
                <td data-label="Quantity" className={styles.number}>
                  {formatDecimal(movement.quantity)}
                </td>
                <td data-label="Balance" className={styles.number}>
                  {formatDecimal(movement.balance)}
                </td>
                <td data-label="Who">{movement.actorName}</td>
                <td data-label="Reason">{movement.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={styles.more}>
        <span className={styles.muted}>
          {ledger.movements.length} of {ledger.totalCount} movements
        </span>
        {ledger.error && (
          <span role="alert" className={styles.outside}>
            {describeError(ledger.error)}
          </span>
        )}
        {ledger.hasNextPage && (
          <button type="button" className="button" onClick={() => void ledger.loadMore()} disabled={ledger.loading}>
            {ledger.loading ? "Loading…" : "Load more"}
          </button>
        )}
      </div>
    </>
  );
}
