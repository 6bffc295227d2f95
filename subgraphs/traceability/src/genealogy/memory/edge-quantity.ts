/**
 * Edge quantities as the adjacency index stores them: millionths in a Float64Array slot, which is
 * exact for what numeric(20,6)::text prints with at most 15 digits. Anything else (more digits,
 * another form) keeps its text beside the arrays and marks its slot {@link OVERFLOW_QUANTITY}.
 */

/** `quantity` slot for a null quantity. */
export const NULL_QUANTITY = Number.NaN;
/** `quantity` slot for a value kept as text in the index's overflow map. */
export const OVERFLOW_QUANTITY = Number.POSITIVE_INFINITY;
/** What numeric(20,6)::text prints, with at most 15 digits in all: exact as millionths in a double. */
const EXACT_DECIMAL = /^-?(?:0|[1-9]\d{0,8})\.\d{6}$/;

/** The slot value of a quantity: its millionths, {@link NULL_QUANTITY} or {@link OVERFLOW_QUANTITY}. */
export function microOf(quantity: string | null): number {
  if (quantity === null) return NULL_QUANTITY;
  // "-0.000000" would come back as "0.000000": keep its text.
  if (EXACT_DECIMAL.test(quantity) && !quantity.startsWith("-0.000000")) return parseMicro(quantity);
  return OVERFLOW_QUANTITY;
}

/** "12.345000" → 12345000 (only for strings matching EXACT_DECIMAL: at most 15 digits, exact). */
function parseMicro(decimal: string): number {
  const dot = decimal.length - 7;
  return Number(decimal.slice(0, dot) + decimal.slice(dot + 1));
}

/** 12345000 → "12.345000", as numeric(20,6)::text prints it. */
export function formatMicro(micro: number): string {
  const negative = micro < 0;
  const abs = Math.abs(micro);
  let whole = Math.floor(abs / 1e6);
  let fraction = abs - whole * 1e6;
  if (fraction < 0) {
    whole--;
    fraction += 1e6;
  } else if (fraction >= 1e6) {
    whole++;
    fraction -= 1e6;
  }
  const text = `${whole}.${String(fraction).padStart(6, "0")}`;
  return negative ? `-${text}` : text;
}
