import Link from "next/link";
import type { NonConformanceRowFragment } from "@/gql/graphql";
import { formatDateTime } from "@/lib/format";
import { lotHref } from "./format-limits";
import { dispositionLabel } from "./non-conformance-dialogs";
import styles from "./quality.module.css";

type Ncr = NonConformanceRowFragment;

/** One report of the register: its number and state, what is wrong, its disposition, who opened it. */
export function NonConformanceRow({
  ncr,
  manager,
  onDispose,
  onClose,
}: {
  ncr: Ncr;
  manager: boolean;
  onDispose(ncr: Ncr): void;
  onClose(ncr: Ncr): void;
}) {
  return (
    <tr data-testid="ncr-row">
      <td data-label="Report">
        <strong className={styles.code}>{ncr.number}</strong>
        <span className={ncr.status === "OPEN" ? styles.statusOpen : styles.statusClosed}>
          {ncr.status === "OPEN" ? "Open" : "Closed"}
        </span>
      </td>
      <WhatIsWrong ncr={ncr} />
      <DispositionCell ncr={ncr} />
      <td data-label="Opened">
        {ncr.openedByName}
        <span className={styles.sub}>{formatDateTime(ncr.openedAt)}</span>
      </td>
      <td className={styles.rowActions}>
        {manager && ncr.status === "OPEN" && (
          <NonConformanceActions ncr={ncr} onDispose={onDispose} onClose={onClose} />
        )}
      </td>
    </tr>
  );
}

function WhatIsWrong({ ncr }: { ncr: Ncr }) {
  return (
    <td data-label="What is wrong">
      {ncr.description}
      <span className={styles.sub}>
        {ncr.lot && (
          <>
            Lot <Link href={lotHref(ncr.lot.code)}>{ncr.lot.code}</Link> ·{" "}
          </>
        )}
        {ncr.decision
          ? `${ncr.decision.result} at ${ncr.decision.gate.name}`
          : ncr.hold
            ? `Hold: ${ncr.hold.reason}`
            : null}
        {" · "}owner {ncr.owner}
      </span>
    </td>
  );
}

/** The disposition, its corrective action, and who signed it and the closure. */
function DispositionCell({ ncr }: { ncr: Ncr }) {
  return (
    <td data-label="Disposition">
      {ncr.disposition ? <strong>{dispositionLabel(ncr.disposition)}</strong> : "—"}
      {ncr.correctiveAction && <span className={styles.sub}>Action: {ncr.correctiveAction}</span>}
      {ncr.dispositionSignature && (
        <span className={styles.signed}>
          ✎ {ncr.dispositionSignature.signerName}, “{ncr.dispositionSignature.meaning}”,{" "}
          {formatDateTime(ncr.dispositionSignature.signedAt)}
        </span>
      )}
      {ncr.closeSignature && (
        <span className={styles.signed}>
          Closed ✎ {ncr.closeSignature.signerName}, {formatDateTime(ncr.closeSignature.signedAt)}
        </span>
      )}
    </td>
  );
}

function NonConformanceActions({
  ncr,
  onDispose,
  onClose,
}: {
  ncr: Ncr;
  onDispose(ncr: Ncr): void;
  onClose(ncr: Ncr): void;
}) {
  return (
    <>
      <button
        type="button"
        className={`button ${styles.smallButton}`}
        onClick={() => onDispose(ncr)}
        aria-label={`Set the disposition of ${ncr.number}`}
      >
        {ncr.disposition ? "Change disposition…" : "Set disposition…"}
      </button>
      {ncr.disposition && (
        <button
          type="button"
          className={`button ${styles.smallButton}`}
          onClick={() => onClose(ncr)}
          aria-label={`Close ${ncr.number}`}
        >
          Close…
        </button>
      )}
    </>
  );
}
