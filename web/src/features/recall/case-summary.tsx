"use client";

import { formatDateTime } from "@/lib/format";
import { openActionText } from "./open-action-text";
import type { RecallCase } from "./recall-case-screen";
import { customersTold, percentText, quantityText } from "./recall-format";
import styles from "./recall.module.css";

/** The case in five numbers, then what is left to do (or, once closed, who signed it off). */
export function CaseSummary({
  recallCase: c,
  onNotify,
  onShowReconciliation,
}: {
  recallCase: RecallCase;
  /** Records a notice for a customer; null when notices may not be recorded here. */
  onNotify: ((customerId: string | null) => void) | null;
  onShowReconciliation(): void;
}) {
  return (
    <div className={styles.summary}>
      <CaseFigures recallCase={c} />
      {c.status === "CLOSED" ? (
        <ClosedBy recallCase={c} />
      ) : (
        <OpenActions recallCase={c} onNotify={onNotify} onShowReconciliation={onShowReconciliation} />
      )}
    </div>
  );
}

function CaseFigures({ recallCase: c }: { recallCase: RecallCase }) {
  const { told, reached } = customersTold(c);
  const lots = c.scope.frozenCount + c.scope.foundLaterCount;
  const source = c.exposure.sourceQuantity.map((q) => quantityText(q.quantity, q.uom)).join(" + ");
  return (
    <ul className={styles.figures} aria-label="Case summary">
      <li>
        <strong>{lots}</strong> affected {lots === 1 ? "lot" : "lots"}
        <small>
          {c.scope.foundLaterCount > 0
            ? `${c.scope.frozenCount} when opened, ${c.scope.foundLaterCount} found later`
            : `from ${source || "the source"} received`}
        </small>
      </li>
      <li>
        <strong>{c.scope.finishedLots.length}</strong> finished goods{" "}
        {c.scope.finishedLots.length === 1 ? "lot" : "lots"}
      </li>
      <li className={c.scope.onHand.length && !c.drill ? styles.figureWarn : undefined}>
        <strong>{c.scope.onHand.length}</strong> still in the plant
      </li>
      {c.drill ? (
        <li>
          <strong>{reached}</strong> {reached === 1 ? "customer" : "customers"} reached
          <small>not told: this is a drill</small>
        </li>
      ) : (
        <li className={told < reached ? styles.figureDanger : reached > 0 ? styles.figureGood : undefined}>
          <strong>
            {told} of {reached}
          </strong>{" "}
          customers told
        </li>
      )}
      <li className={c.reconciliation.balanced ? styles.figureGood : styles.figureWarn}>
        <strong>{percentText(c.reconciliation.percentAccountedFor)}</strong> of the source found
        <small>{c.reconciliation.balanced ? "the ledger balances" : "some is unaccounted for"}</small>
      </li>
    </ul>
  );
}

const ACTION_LABEL: Record<string, string> = {
  NOTIFY_CUSTOMER: "Record notice…",
  AWAIT_ACKNOWLEDGEMENT: "Record acknowledgement…",
};

/** What the API says is still to do, as a checklist a coordinator works down. */
function OpenActions({
  recallCase: c,
  onNotify,
  onShowReconciliation,
}: {
  recallCase: RecallCase;
  onNotify: ((customerId: string | null) => void) | null;
  onShowReconciliation(): void;
}) {
  return (
    <section className={styles.checklist} aria-labelledby="open-actions-title">
      <h2 id="open-actions-title">
        Still to do <span className={styles.count}>({c.openActions.length})</span>
      </h2>
      {c.openActions.length === 0 ? (
        <p className={styles.allDone}>
          <span aria-hidden="true">✓</span> Nothing left to do: the {c.drill ? "drill" : "recall"} can be closed.
        </p>
      ) : (
        <ul>
          {c.openActions.map((action, index) => (
            <li key={`${action.kind}-${action.customer?.id ?? action.lot?.id ?? index}`} data-testid="open-action">
              <span className={styles.checkbox} aria-hidden="true" />
              <span className={styles.actionText}>{openActionText(action, c)}</span>
              {action.customer && onNotify && ACTION_LABEL[action.kind] && (
                <button
                  type="button"
                  className={`button ${styles.smallButton}`}
                  onClick={() => onNotify(action.customer!.id)}
                  aria-label={`${ACTION_LABEL[action.kind]!.replace("…", "")} for ${action.customer.name}`}
                >
                  {ACTION_LABEL[action.kind]}
                </button>
              )}
              {action.kind === "RECONCILE" && (
                <button type="button" className={`button ${styles.smallButton}`} onClick={onShowReconciliation}>
                  See the reconciliation
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ClosedBy({ recallCase: c }: { recallCase: RecallCase }) {
  return (
    <section className={styles.checklist} aria-labelledby="closed-title">
      <h2 id="closed-title">Closed</h2>
      <p>{c.closeReason}</p>
      {!c.drill && (
        <p className={styles.muted}>Its holds stay until quality releases them, lot by lot, with a signature.</p>
      )}
      {c.signature && (
        <p className={styles.signature}>
          Signed by <strong>{c.signature.signerName}</strong>, {formatDateTime(c.signature.signedAt)}: “
          {c.signature.meaning}”
        </p>
      )}
    </section>
  );
}
