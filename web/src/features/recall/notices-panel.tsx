"use client";

import tableStyles from "@/components/data-table.module.css";
import { formatDateTime } from "@/lib/format";
import type { RecallCase } from "./recall-case-screen";
import styles from "./recall.module.css";

/** Who was told, when, and when they acknowledged: the record an auditor asks for, oldest first. */
export function NoticesPanel({
  recallCase: c,
  manager,
  onNotify,
}: {
  recallCase: RecallCase;
  manager: boolean;
  onNotify: ((customerId: string | null) => void) | null;
}) {
  const why = c.drill
    ? "A drill tells nobody: notices are recorded on real recalls only."
    : c.status === "CLOSED"
      ? "The case is closed: its notices are as recorded below."
      : !manager
        ? "Notices are recorded by quality managers."
        : null;
  return (
    <div className={styles.stack}>
      <div className={styles.panelBar}>
        <p className={styles.panelIntro}>
          {why ?? "Record each customer told: when, how (the note), and when they confirmed."}
        </p>
        {onNotify && (
          <button type="button" className="button button-primary" onClick={() => onNotify(null)}>
            Record a notice…
          </button>
        )}
      </div>
      {c.notices.length === 0 ? (
        <p className={styles.panelState}>
          {c.drill ? "No notices: this is a drill." : "No customer has been told yet."}
        </p>
      ) : (
        <NoticesTable notices={c.notices} />
      )}
    </div>
  );
}

function NoticesTable({ notices }: { notices: RecallCase["notices"] }) {
  return (
    <div className={tableStyles.tableWrap}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">Notices, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Told</th>
            <th scope="col">Acknowledged</th>
            <th scope="col">Note</th>
            <th scope="col">Recorded</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((notice) => (
            <tr key={notice.id} data-testid="recall-notice">
              <th scope="row">{notice.customer.name}</th>
              <td>{formatDateTime(notice.notifiedAt)}</td>
              <td>
                {notice.acknowledgedAt ? (
                  formatDateTime(notice.acknowledgedAt)
                ) : (
                  <span className={styles.warn}>Not yet</span>
                )}
              </td>
              <td className={styles.note}>{notice.note || <span className={styles.muted}>—</span>}</td>
              <td>
                {notice.recordedByName}
                <span className={styles.sub}>{formatDateTime(notice.recordedAt)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
