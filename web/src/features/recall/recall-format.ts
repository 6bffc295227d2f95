import { Quantity } from "@lotgraph/kit/quantity";
import { formatDecimal } from "../../lib/format";

/**
 * How a recall's numbers read on screen: quantities exact (the API rounds once, to 6 places; the
 * trailing zeros go), shares and recovery as percentages, the time Lotgraph took in words.
 */

/** "12.500000" kg → "12.5 kg"; thousands grouped. */
export function quantityText(value: string, uom: string): string {
  return `${formatDecimal(Quantity.of(value).toFixed())} ${uom}`;
}

/** A share from 0 to 1 ("0.333333") as a percentage to two places ("33.33 %"); never "0 %" for a trace. */
export function fractionText(fraction: string): string {
  const share = Quantity.of(fraction);
  if (share.isZero()) return "0 %";
  const percent = Quantity.fromMicros(share.micros * 100n);
  if (percent.lt("0.01")) return "< 0.01 %";
  return `${Quantity.of(percent.toFixed(2)).toFixed()} %`;
}

/** The API's percentage (a float, 0 to 100 when the ledger balances) to one place at most: "97.5 %". */
export function percentText(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded.toLocaleString("en", { maximumFractionDigits: 1 })} %`;
}

/** How long Lotgraph took to answer: "340 ms", "1.2 s", "2 min 5 s". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toLocaleString("en")} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Customers a case reaches and how many of them have been told (a notice recorded). */
export function customersTold(facts: {
  exposure: { customers: ReadonlyArray<{ customer: { id: string } }> };
  notices: ReadonlyArray<{ customer: { id: string } }>;
}): { told: number; reached: number } {
  const reached = new Set(facts.exposure.customers.map((c) => c.customer.id));
  const told = new Set(facts.notices.map((n) => n.customer.id).filter((id) => reached.has(id)));
  return { told: told.size, reached: reached.size };
}
