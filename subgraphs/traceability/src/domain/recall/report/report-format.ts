import { Quantity } from "@lotgraph/kit";

/**
 * How the PDF prints figures: counts and quantities grouped by thousands, instants in UTC to the
 * second, percentages with two places. Written out here rather than taken from Intl so that the
 * same report prints the same text on every machine, whatever its locale data.
 */

/** 2026-03-04 09:05:01 UTC, or 2026-03-04 09:05 UTC where a table has little room. */
export function formatInstant(at: Date, precision: "second" | "minute" = "second"): string {
  return `${at
    .toISOString()
    .slice(0, precision === "second" ? 19 : 16)
    .replace("T", " ")} UTC`;
}

/** 1 → "1 supplier hold", 2 → "2 supplier holds" */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/** 10000 → "10,000" */
export function formatCount(value: number): string {
  return group(String(value));
}

/** "12345.500000" → "12,345.5"; with `decimals`, exactly that many ("12,345.500"). */
export function formatQuantity(value: string, decimals?: number): string {
  const text = Quantity.of(value).toFixed(decimals);
  const [whole = "", fraction] = text.split(".");
  return fraction === undefined ? group(whole) : `${group(whole)}.${fraction}`;
}

/**
 * A column of quantities printed with as many decimals as its most precise value needs, so that
 * right-aligned they line up on the decimal point ("30.00", "12.50", "0.25").
 */
export function alignedQuantities(values: readonly string[]): string[] {
  const decimals = Math.max(0, ...values.map((v) => Quantity.of(v).toFixed().split(".")[1]?.length ?? 0));
  return values.map((v) => formatQuantity(v, decimals));
}

/** 99.5 → "99.50 %" (the API's percentages already have at most two places). */
export function formatPercent(value: number): string {
  return `${value.toFixed(2)} %`;
}

/** 1234 → "1,234 ms (1.23 s)" */
export function formatDuration(ms: number): string {
  return `${formatCount(ms)} ms (${(ms / 1000).toFixed(2)} s)`;
}

function group(digits: string): string {
  const negative = digits.startsWith("-");
  const grouped = digits.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}
