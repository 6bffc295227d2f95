import { badInput } from "@lotgraph/kit";

/**
 * Exact decimal arithmetic for quantities, as the ledger stores them: numeric(20, 6). Values are
 * scaled integers (BigInt, 6 decimals), so sums and ratios never pick up binary-float error.
 */
const SCALE_DIGITS = 6;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const MAX_INTEGER_DIGITS = 14;
const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A quantity in millionths. */
export type Micros = bigint;

/**
 * Parses a quantity given by a person or an integration: a plain decimal, strictly positive,
 * fitting numeric(20, 6); anything else is BAD_USER_INPUT naming `field`.
 */
export function parsePositiveQuantity(field: string, value: string): Micros {
  const match = PLAIN_DECIMAL.exec(value.trim());
  if (!match) throw badInput(field, `${field} must be a decimal number greater than zero, such as "12.5"`);
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > SCALE_DIGITS) throw badInput(field, `${field} has more than ${SCALE_DIGITS} decimals`);
  if (whole.replace(/^0+(?=\d)/, "").length > MAX_INTEGER_DIGITS) throw badInput(field, `${field} is too large`);
  const micros = toMicros(value.trim());
  if (micros <= 0n) throw badInput(field, `${field} must be greater than zero`);
  return micros;
}

/** A stored decimal string (e.g. Prisma's "12.500000") in millionths. */
export function toMicros(value: string): Micros {
  const negative = value.startsWith("-");
  const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
  const micros = BigInt(whole) * SCALE + BigInt(fraction.padEnd(SCALE_DIGITS, "0").slice(0, SCALE_DIGITS));
  return negative ? -micros : micros;
}

/** Canonical decimal text: no trailing zeros ("12.5", "3"). */
export function formatMicros(micros: Micros): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(SCALE_DIGITS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Normalises a decimal string to canonical text. */
export const normalizeQuantity = (value: string): string => formatMicros(toMicros(value));

/** numerator / denominator, rounded half-up to `decimals` places, always printed with them. */
export function ratio(numerator: Micros, denominator: Micros, decimals = 4): string {
  if (denominator === 0n) throw new Error("ratio with a zero denominator");
  const scale = 10n ** BigInt(decimals);
  const scaled = (numerator * scale * 2n + denominator) / (denominator * 2n);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(decimals, "0");
  return `${whole}.${fraction}`;
}
