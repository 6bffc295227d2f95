import { Quantity } from "@lotgraph/kit";

/**
 * Edge quantities as the adjacency index stores them: a Quantity's millionths in a Float64Array
 * slot, exact up to 2^53 millionths (every numeric(20,6)::text with at most 15 digits). Anything a
 * slot would not give back as the same text (more millionths, another form such as "12.5" or
 * "-0.000000") keeps its text beside the arrays and marks its slot {@link OVERFLOW_QUANTITY}.
 */

/** `quantity` slot for a null quantity. */
export const NULL_QUANTITY = Number.NaN;
/** `quantity` slot for a value kept as text in the index's overflow map. */
export const OVERFLOW_QUANTITY = Number.POSITIVE_INFINITY;

/** The slot value of a quantity: its millionths, {@link NULL_QUANTITY} or {@link OVERFLOW_QUANTITY}. */
export function microOf(quantity: string | null): number {
  if (quantity === null) return NULL_QUANTITY;
  const parsed = quantityOf(quantity);
  if (parsed === null) return OVERFLOW_QUANTITY;
  const micros = Number(parsed.micros);
  // Only what prints back as the very same text: the index answers as the SQL store does.
  return Number.isSafeInteger(micros) && formatMicro(micros) === quantity ? micros : OVERFLOW_QUANTITY;
}

/** 12345000 → "12.345000", as numeric(20,6)::text prints it. */
export function formatMicro(micro: number): string {
  return Quantity.fromMicros(BigInt(micro)).toFixed(6);
}

/** The quantity `text` is, or null when it is none (not decimal text, or a 7th significant decimal). */
function quantityOf(text: string): Quantity | null {
  try {
    return Quantity.of(text);
  } catch {
    return null;
  }
}
