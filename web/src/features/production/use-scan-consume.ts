"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { useClient, useMutation, type Client, type CombinedError } from "urql";
import type { ProductionConsumeLotMutation } from "@/gql/graphql";
import { useAttemptKey } from "@/lib/attempt-key";
import { describeError, errorCode } from "@/lib/errors";
import { isPositiveQuantity } from "@/lib/quantity";
import { ConsumeLotMutation, ScanLotQuery } from "./operations";
import { formatQuantity } from "./quantity";
import { describeConsumeRefusal, type ScannedLot } from "./refusals";
import type { Run } from "./use-run";

export type ScanMessage = { tone: "error" | "ok"; text: string } | null;
type Consumption = ProductionConsumeLotMutation["consumeLot"]["consumption"];

/** The scan field, focused when the console opens and whenever a scanner types outside a field. */
function useScanFocus() {
  const scanField = useRef<HTMLInputElement>(null);

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

  return { scanField, refocus: () => scanField.current?.focus() };
}

/** The lot a scanned code names, or why there is none. */
async function findLot(client: Client, code: string): Promise<{ lot: ScannedLot } | { problem: string }> {
  const result = await client.query(ScanLotQuery, { code }, { requestPolicy: "network-only" }).toPromise();
  if (result.error) return { problem: describeError(result.error) };
  if (!result.data?.lot) return { problem: `No lot has the code ${code}. Check the label and scan again.` };
  return { lot: result.data.lot };
}

/** Why nothing was consumed, and whether the pending lot stays: only a smaller quantity can change the answer. */
function refusalOf(error: CombinedError | undefined, lot: ScannedLot, run: Run) {
  const keepLot = !error || errorCode(error) === "INSUFFICIENT_QUANTITY" || Boolean(error.networkError);
  const text = error
    ? describeConsumeRefusal(error, lot, {
        workOrderNumber: run.workOrder.number,
        components: run.workOrder.components.map((c) => c.material.name),
      })
    : "Nothing was consumed. Try again.";
  return { keepLot, text };
}

function consumedText(consumed: Consumption, lot: ScannedLot): string {
  return `Consumed ${formatQuantity(consumed.quantity)} ${consumed.lot.uom} of ${consumed.lot.code} (${lot.material.name}). ${
    isPositiveQuantity(consumed.lot.quantity)
      ? `${formatQuantity(consumed.lot.quantity)} ${consumed.lot.uom} left in the lot.`
      : "The lot is used up."
  }`;
}

/**
 * Consume by scan: the scanned code resolves to the lot, the quantity defaults to what is on hand,
 * and Consume sends it with one idempotency key per attempt, so a double tap or a retry after a
 * lost answer consumes once.
 */
export function useScanConsume(run: Run, onChanged: () => void) {
  const client = useClient();
  const { scanField, refocus } = useScanFocus();
  const [code, setCode] = useState("");
  const [lot, setLot] = useState<ScannedLot | null>(null);
  const [quantity, setQuantity] = useState("");
  const [message, setMessage] = useState<ScanMessage>(null);
  const [resolving, setResolving] = useState(false);
  const [consuming, consume] = useMutation(ConsumeLotMutation);
  const attempt = useAttemptKey();

  async function onScan(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const scanned = code.trim();
    if (!scanned || resolving) return; // a scanner's second Enter on an empty field
    setResolving(true);
    const found = await findLot(client, scanned);
    setResolving(false);
    setCode(""); // the next scan must not be appended to this code
    attempt.renew();
    setLot("lot" in found ? found.lot : null);
    if ("lot" in found) setQuantity(found.lot.quantity);
    setMessage("lot" in found ? null : { tone: "error", text: found.problem });
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
      const refusal = refusalOf(result.error, lot, run);
      if (!refusal.keepLot) setLot(null);
      setMessage({ tone: "error", text: refusal.text });
      return refocus();
    }
    attempt.renew();
    setMessage({ tone: "ok", text: consumedText(result.data.consumeLot.consumption, lot) });
    setLot(null);
    onChanged();
    refocus();
  }

  function changeQuantity(value: string) {
    attempt.renew();
    setQuantity(value);
  }

  function cancel() {
    setLot(null);
    setMessage(null);
    refocus();
  }

  return {
    scan: { scanField, code, setCode, resolving, onScan },
    message,
    pending: { lot, quantity, changeQuantity, consuming: consuming.fetching, onConsume, cancel },
  };
}

export type Scan = ReturnType<typeof useScanConsume>["scan"];
export type PendingConsumption = ReturnType<typeof useScanConsume>["pending"];
