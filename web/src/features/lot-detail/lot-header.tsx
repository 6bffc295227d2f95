import { LotStatusBadge, QualityStatusBadge } from "@/components/status-badge";
import { formatDecimal } from "@/lib/format";
import type { Lot } from "./lot-types";
import styles from "./lot-detail.module.css";

const REQUIREMENT: Record<string, string> = {
  INSPECTION: "incoming inspection (a PASS on the lot)",
  REJECTED: "a later PASS or a signed USE_AS_IS after its rejection",
  GATE: "a PASS at a gate of the run that made it",
};

/** The lot's code, material, quantity and states. */
export function LotHeader({ lot }: { lot: Lot }) {
  return (
    <header className={styles.header}>
      <div>
        <h1 id="lot-title" className={styles.code}>
          {lot.code}
        </h1>
        <p className={styles.material}>
          {lot.material.name} <span className={styles.sku}>{lot.material.sku}</span>
        </p>
      </div>
      <div className={styles.headline}>
        <span className={styles.quantity}>
          {formatDecimal(lot.quantity)} <small>{lot.uom}</small>
        </span>
        <span className={styles.labelled}>
          <span className={styles.badgeLabel}>Stock</span>
          <LotStatusBadge status={lot.status} />
        </span>
        <span className={styles.labelled}>
          <span className={styles.badgeLabel}>Quality</span>
          <QualityStatusBadge status={lot.qualityStatus} />
        </span>
      </div>
    </header>
  );
}

/** What stops the lot now: its active holds, and the releases it still waits for. */
export function LotBanners({ lot }: { lot: Lot }) {
  const activeHolds = lot.holds.filter((hold) => hold.active);
  return (
    <>
      {activeHolds.length > 0 && (
        <p className={styles.holdBanner} role="status">
          <strong>On hold:</strong> {activeHolds[0]!.reason}
          {activeHolds.length > 1 && ` (and ${activeHolds.length - 1} more)`} — it cannot be consumed or shipped until
          every hold is released.
        </p>
      )}
      {lot.awaitingRelease.length > 0 && (
        <p className={styles.pendingBanner} role="status">
          <strong>Awaiting release:</strong>{" "}
          {lot.awaitingRelease
            .map((r) =>
              r.kind === "GATE" && r.gate ? `a PASS at gate ${r.gate.name}` : (REQUIREMENT[r.kind] ?? r.kind),
            )
            .join("; ")}
          .
        </p>
      )}
    </>
  );
}
