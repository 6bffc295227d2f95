import Link from "next/link";
import { HoldBadge } from "@/components/status-badge";
import { formatDateTime } from "@/lib/format";
import { lotHref, type Hold, type Lot } from "./lot-types";
import styles from "./lot-detail.module.css";

/** Every hold the lot has had, active or released. */
export function HoldList({ holds }: { holds: Lot["holds"] }) {
  if (holds.length === 0) return <p className={styles.muted}>This lot has never been held.</p>;
  return (
    <ul className={styles.list}>
      {holds.map((hold) => (
        <HoldItem key={hold.id} hold={hold} />
      ))}
    </ul>
  );
}

/** Why a hold is on this lot: placed on it, inherited from an ancestor's hold, from a supplier lot or a decision. */
function HoldCause({ hold }: { hold: Hold }) {
  if (hold.cause?.lot)
    return (
      <p className={styles.cause}>
        Inherited from the hold on <Link href={lotHref(hold.cause.lot.code)}>{hold.cause.lot.code}</Link>:{" "}
        {hold.cause.reason}
      </p>
    );
  if (hold.supplierHold)
    return <p className={styles.cause}>Supplier lot {hold.supplierHold.supplierLotCode} is on hold.</p>;
  if (hold.decision)
    return (
      <p className={styles.cause}>
        Placed by a {hold.decision.result} at gate {hold.decision.gate.name}.
      </p>
    );
  return null;
}

function HoldItem({ hold }: { hold: Hold }) {
  return (
    <li className={styles.item} data-testid="hold-item">
      <div className={styles.itemHead}>
        <HoldBadge active={hold.active} />
        <strong>{hold.reason}</strong>
      </div>
      <p className={styles.muted}>
        Placed by {hold.placedByName}, {formatDateTime(hold.placedAt)}
      </p>
      <HoldCause hold={hold} />
      {hold.releasedAt && (
        <p className={styles.release}>
          Released by {hold.releasedByName}, {formatDateTime(hold.releasedAt)}
          {hold.releaseReason && <>: {hold.releaseReason}</>}
          {hold.signature && (
            <span className={styles.signature}>
              Signed by {hold.signature.signerName} — “{hold.signature.meaning}” —{" "}
              {formatDateTime(hold.signature.signedAt)}
            </span>
          )}
        </p>
      )}
    </li>
  );
}
