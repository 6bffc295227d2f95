"use client";

import tableStyles from "@/components/data-table.module.css";
import { formatDateTime } from "@/lib/format";
import type { RecallCase } from "./recall-case-screen";
import { quantityText } from "./recall-format";
import styles from "./recall.module.css";

/** One customer the case reaches: every unit's exposure together, and their notices. */
export interface ReachedCustomer {
  id: string;
  name: string;
  code: string;
  shipments: Array<{ id: string; reference: string; shippedAt: string }>;
  quantities: string[];
  notifiedAt: string | null;
  acknowledgedAt: string | null;
}

/** The customers a case reaches, most exposed first, with when each was told and acknowledged. */
export function reachedCustomers(c: RecallCase): ReachedCustomer[] {
  const byId = new Map<string, ReachedCustomer>();
  for (const entry of c.exposure.customers) {
    const known = byId.get(entry.customer.id);
    const customer = known ?? {
      ...entry.customer,
      shipments: [],
      quantities: [],
      notifiedAt: null,
      acknowledgedAt: null,
    };
    for (const shipment of entry.shipments)
      if (!customer.shipments.some((s) => s.id === shipment.id)) customer.shipments.push(shipment);
    customer.quantities.push(quantityText(entry.quantityOfSource, entry.uom));
    byId.set(customer.id, customer);
  }
  for (const notice of c.notices) {
    const customer = byId.get(notice.customer.id);
    if (!customer) continue;
    if (!customer.notifiedAt || notice.notifiedAt < customer.notifiedAt) customer.notifiedAt = notice.notifiedAt;
    if (notice.acknowledgedAt && (!customer.acknowledgedAt || notice.acknowledgedAt < customer.acknowledgedAt))
      customer.acknowledgedAt = notice.acknowledgedAt;
  }
  return [...byId.values()];
}

/** Exposure by customer: what their shipments carried of the source, and whether they were told. */
export function CustomersPanel({
  recallCase: c,
  onNotify,
}: {
  recallCase: RecallCase;
  onNotify: ((customerId: string | null) => void) | null;
}) {
  const customers = reachedCustomers(c);
  if (customers.length === 0)
    return <p className={styles.panelState}>No shipment carried affected material: there is no customer to tell.</p>;
  return (
    <div className={styles.stack}>
      <p className={styles.panelIntro}>
        {c.drill
          ? "A drill tells nobody: these are the customers a real recall of this source would have to tell."
          : "Every customer a shipment carried affected material to, most exposed first. The recall closes once each has been told."}
      </p>
      <div className={tableStyles.tableWrap}>
        <table className={tableStyles.table}>
          <caption className="visually-hidden">Exposure by customer, most exposed first</caption>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Shipments</th>
              <th scope="col" className={styles.num}>
                Source shipped
              </th>
              {!c.drill && <th scope="col">Told</th>}
              {!c.drill && <th scope="col">Acknowledged</th>}
              {onNotify && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {customers.map((customer) => (
              <CustomerRow key={customer.id} customer={customer} drill={c.drill} onNotify={onNotify} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CustomerRow({
  customer,
  drill,
  onNotify,
}: {
  customer: ReachedCustomer;
  drill: boolean;
  onNotify: ((customerId: string | null) => void) | null;
}) {
  return (
    <tr data-testid="exposed-customer">
      <th scope="row">
        {customer.name}
        <span className={styles.sub}>{customer.code}</span>
      </th>
      <td>
        {customer.shipments.map((s) => (
          <span key={s.id} className={styles.shipLine}>
            {s.reference} <span className={styles.muted}>· {formatDateTime(s.shippedAt)}</span>
          </span>
        ))}
      </td>
      <td className={styles.num}>
        {customer.quantities.map((q) => (
          <span key={q} className={styles.shipLine}>
            {q}
          </span>
        ))}
      </td>
      {!drill && <td>{customer.notifiedAt ? <Done at={customer.notifiedAt} /> : <Missing text="Not told" />}</td>}
      {!drill && (
        <td>
          {customer.acknowledgedAt ? (
            <Done at={customer.acknowledgedAt} />
          ) : (
            <Missing text={customer.notifiedAt ? "Waiting" : "—"} quiet={!customer.notifiedAt} />
          )}
        </td>
      )}
      {onNotify && (
        <td className={styles.rowActions}>
          <button
            type="button"
            className={`button ${styles.smallButton}`}
            onClick={() => onNotify(customer.id)}
            aria-label={`Record a notice for ${customer.name}`}
          >
            {customer.notifiedAt ? "Add notice…" : "Record notice…"}
          </button>
        </td>
      )}
    </tr>
  );
}

function Done({ at }: { at: string }) {
  return (
    <span className={`${styles.good} ${styles.nowrap}`}>
      <span aria-hidden="true">✓ </span>
      {formatDateTime(at)}
    </span>
  );
}

function Missing({ text, quiet = false }: { text: string; quiet?: boolean }) {
  return <span className={quiet ? styles.muted : styles.warn}>{text}</span>;
}
