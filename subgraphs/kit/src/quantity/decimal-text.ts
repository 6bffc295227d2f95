/**
 * The text form of the `Decimal` scalar: a plain decimal number, no exponent, no sign other than
 * a leading minus. Quantities are stored as numeric(20, 6): 14 digits before the point, 6 after.
 */
export const DECIMAL_INTEGER_DIGITS = 14;
export const DECIMAL_FRACTION_DIGITS = 6;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A plain decimal split into its significant parts. */
export interface DecimalParts {
  negative: boolean;
  /** Digits before the point, without leading zeros ("0" for none). */
  whole: string;
  /** Digits after the point, without trailing zeros ("" for none). */
  fraction: string;
}

/**
 * The parts of `text` (surrounding blanks ignored), or null when it is not a plain decimal.
 * Leading zeros and trailing zeros of the fraction are not significant: "007.500" is 7.5.
 */
export function decimalParts(text: string): DecimalParts | null {
  const match = PLAIN_DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign = "", whole = "", fraction = ""] = match;
  return {
    negative: sign === "-",
    whole: whole.replace(/^0+(?=\d)/, ""),
    fraction: fraction.replace(/0+$/, ""),
  };
}

/** Whether the parts fit numeric(20, 6) exactly: nothing would overflow or be rounded away. */
export function fitsStorage(parts: DecimalParts): boolean {
  return parts.whole.length <= DECIMAL_INTEGER_DIGITS && parts.fraction.length <= DECIMAL_FRACTION_DIGITS;
}
