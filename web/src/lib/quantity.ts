import { Quantity } from "@lotgraph/kit/quantity";

/**
 * Arithmetic on `Decimal` strings ("12.5") with kit's exact Quantity (decision 0016), never with
 * doubles: 0.1 + 0.2 kg is "0.3", not "0.30000000000000004". Results are the API's canonical
 * text (no trailing zeros), ready for `formatDecimal`.
 */

/** The exact sum of Decimal strings ("0" for none). */
export function sumQuantities(values: Iterable<string>): string {
  return Quantity.sum(values).toFixed();
}

/** Whether a Decimal string is more than zero ("0.000000" is not). */
export function isPositiveQuantity(value: string): boolean {
  return Quantity.of(value).isPositive();
}

/** `done` as a whole percentage of `planned`, rounded half up and capped at 100; 0 without a plan. */
export function percentOf(done: string, planned: string): number {
  const whole = Quantity.of(planned);
  if (!whole.isPositive()) return 0;
  const hundredfold = Quantity.fromMicros(Quantity.of(done).micros * 100n);
  return Math.min(100, Number(hundredfold.ratio(whole, 0)));
}
