"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { useClient, useMutation } from "urql";
import { LotStatusBadge } from "@/components/status-badge";
import { describeError, errorCode } from "@/lib/errors";
import { formatQuantity } from "./quantity";
import { useAttemptKey } from "@/lib/attempt-key";
import { ConsumeLotMutation, ScanLotQuery } from "./operations";
import { describeConsumeRefusal, type ScannedLot } from "./refusals";
import type { Run } from "./use-run";
import styles from "./run-console.module.css";

type Message = { tone: "error" | "ok"; text: string } | null;

/**
 * Consume by scan: a scanner types the code and presses Enter into a field that keeps focus. The
 * code resolves to the lot, the quantity defaults to what is on hand, and Consume sends it with
 * one idempotency key per attempt, so a double tap or a retry after a lost answer consumes once.
 */
export function ScanConsume({ run, onChanged }: { run: Run; onChanged(): void }) {
  const client = useClient();
  const scanField = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState("");
  const [lot, setLot] = useState<ScannedLot | null>(null);
  const [quantity, setQuantity] = useState("");
  const [message, setMessage] = useState<Message>(null);
  const [resolving, setResolving] = useState(false);
  const [consuming, consume] = useMutation(ConsumeLotMutation);
  const attempt = useAttemptKey();
  const components = run.workOrder.components;

  useEffect(() => scanField.current?.focus(), []);

  // A scan after a tap elsewhere (a button, the page) still lands in the scan field; typing into
  // another field or the label dialog stays there.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest("input, textarea, select, [contenteditable], dialog")) return;
      scanField.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const refocus = () => scanField.current?.focus();

  async function onScan(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const scanned = code.trim();
    if (!scanned || resolving) return; // a scanner's second Enter on an empty field
    setResolving(true);
    const result = await client.query(ScanLotQuery, { code: scanned }, { requestPolicy: "network-only" }).toPromise();
    setResolving(false);
    setCode(""); // the next scan must not be appended to this code
    attempt.renew();
    if (result.error) {
      setLot(null);
      setMessage({ tone: "error", text: describeError(result.error) });
    } else if (!result.data?.lot) {
      setLot(null);
      setMessage({ tone: "error", text: `No lot has the code ${scanned}. Check the label and scan again.` });
    } else {
      setLot(result.data.lot);
      setQuantity(result.data.lot.quantity);
      setMessage(null);
    }
    refocus();
  }

  async function onConsume(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!lot) return;
    const result = await consume({
      input: { runId: run.id, lotId: lot.id, quantity: quantity.trim(), idempotencyKey: attempt.current() },
    });
    if (result.error || !result.data) {
      // A refusal changed nothing, so the next try is a new attempt; a lost answer is retried as the same one.
      if (result.error?.graphQLErrors.length) attempt.renew();
      // Only a smaller quantity can change the answer; any other refusal needs another lot.
      if (result.error && errorCode(result.error) !== "INSUFFICIENT_QUANTITY" && !result.error.networkError)
        setLot(null);
      setMessage({
        tone: "error",
        text: result.error
          ? describeConsumeRefusal(result.error, lot, {
              workOrderNumber: run.workOrder.number,
              components: components.map((c) => c.material.name),
            })
          : "Nothing was consumed. Try again.",
      });
      return refocus();
    }
    const consumed = result.data.consumeLot.consumption;
    attempt.renew();
    setMessage({
      tone: "ok",
      text: `Consumed ${formatQuantity(consumed.quantity)} ${consumed.lot.uom} of ${consumed.lot.code} (${lot.material.name}). ${
        Number(consumed.lot.quantity) > 0
          ? `${formatQuantity(consumed.lot.quantity)} ${consumed.lot.uom} left in the lot.`
          : "The lot is used up."
      }`,
    });
    setLot(null);
    onChanged();
    refocus();
  }

  return (
    <section className={styles.card} aria-labelledby="consume-title">
      <h2 id="consume-title">Consume</h2>
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
      {lot && (
        <form
          className={styles.pending}
          onSubmit={(e) => void onConsume(e)}
          aria-label={`Consume from lot ${lot.code}`}
        >
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
              onChange={(e) => {
                attempt.renew();
                setQuantity(e.target.value);
              }}
            />
          </label>
          <div className={styles.pendingActions}>
            <button type="submit" className="button button-primary" disabled={consuming.fetching}>
              {consuming.fetching
                ? "Consuming…"
                : `Consume ${quantity.trim() ? formatQuantity(quantity.trim()) : ""} ${lot.uom}`}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setLot(null);
                setMessage(null);
                refocus();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
