"use client";

import { LotStatusBadge } from "@/components/status-badge";
import { formatQuantity } from "./quantity";
import type { ScannedLot } from "./refusals";
import type { Run } from "./use-run";
import { useScanConsume, type PendingConsumption, type Scan, type ScanMessage } from "./use-scan-consume";
import styles from "./run-console.module.css";

/**
 * Consume by scan: a scanner types the code and presses Enter into a field that keeps focus. The
 * code resolves to the lot, the quantity defaults to what is on hand, and Consume sends it with
 * one idempotency key per attempt, so a double tap or a retry after a lost answer consumes once.
 */
export function ScanConsume({ run, onChanged }: { run: Run; onChanged(): void }) {
  const { scan, message, pending } = useScanConsume(run, onChanged);
  return (
    <section className={styles.card} aria-labelledby="consume-title">
      <h2 id="consume-title">Consume</h2>
      <ScanForm scan={scan} message={message} />
      <ScanMessageLine message={message} components={run.workOrder.components} />
      {pending.lot && <PendingConsume lot={pending.lot} pending={pending} />}
    </section>
  );
}

function ScanForm({ scan, message }: { scan: Scan; message: ScanMessage }) {
  const { scanField, code, setCode, resolving, onScan } = scan;
  return (
    <form onSubmit={(e) => void onScan(e)} className={styles.scanForm}>
      <label htmlFor="scan-lot" className={styles.fieldLabel}>
        Scan or type a lot code
      </label>
      <div className={styles.scanRow}>
        <input
          id="scan-lot"
          ref={scanField}
          className={`input ${styles.scanInput}`}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          enterKeyHint="go"
          placeholder="Lot code, then Enter"
          aria-invalid={message?.tone === "error" || undefined}
          aria-describedby="scan-message"
        />
        <button type="submit" className="button" disabled={resolving || !code.trim()}>
          {resolving ? "Finding…" : "Find lot"}
        </button>
      </div>
    </form>
  );
}

/** The last scan's outcome, or until there is one, the bill of materials to scan from. */
function ScanMessageLine({
  message,
  components,
}: {
  message: ScanMessage;
  components: Run["workOrder"]["components"];
}) {
  return (
    <p
      id="scan-message"
      role={message?.tone === "error" ? "alert" : "status"}
      className={message ? (message.tone === "error" ? styles.refusal : styles.success) : styles.hint}
      data-testid="scan-message"
    >
      {message?.text ??
        (components.length
          ? `Bill of materials: ${components.map((c) => `${c.material.name} ${formatQuantity(c.quantity)} ${c.material.uom}`).join(", ")}.`
          : "Any material may be consumed: this work order has no bill of materials.")}
    </p>
  );
}

/** The scanned lot, the quantity to take from it, and Consume or Cancel. */
function PendingConsume({ lot, pending }: { lot: ScannedLot; pending: PendingConsumption }) {
  const { quantity, changeQuantity, consuming, onConsume, cancel } = pending;
  return (
    <form className={styles.pending} onSubmit={(e) => void onConsume(e)} aria-label={`Consume from lot ${lot.code}`}>
      <div className={styles.pendingLot}>
        <strong className={styles.lotCode}>{lot.code}</strong>
        <span>
          {lot.material.name} <span className={styles.muted}>{lot.material.sku}</span>
        </span>
        <span>
          On hand <strong>{formatQuantity(lot.quantity)}</strong> {lot.uom} <LotStatusBadge status={lot.status} />
        </span>
      </div>
      <label className={styles.quantityField}>
        Quantity ({lot.uom})
        <input
          className="input"
          inputMode="decimal"
          autoComplete="off"
          required
          value={quantity}
          onChange={(e) => changeQuantity(e.target.value)}
        />
      </label>
      <div className={styles.pendingActions}>
        <button type="submit" className="button button-primary" disabled={consuming}>
          {consuming ? "Consuming…" : `Consume ${quantity.trim() ? formatQuantity(quantity.trim()) : ""} ${lot.uom}`}
        </button>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
