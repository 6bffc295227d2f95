import { DECIMAL_FRACTION_DIGITS, DECIMAL_INTEGER_DIGITS, decimalParts } from "./decimal-text.ts";

const SCALE = 10n ** BigInt(DECIMAL_FRACTION_DIGITS);

/** What an operation takes besides a Quantity: decimal text ("12.5") or a whole JS number (a count). */
export type QuantityLike = Quantity | string | number;

/**
 * An exact quantity of material, as the `Decimal` scalar carries it and numeric(20, 6) stores it.
 *
 * Why a count of millionths in a bigint (see docs/decisions/0016-one-quantity-module.md): every
 * quantity has at most 6 decimals, so a fixed-point integer holds each one exactly, and sums,
 * differences and comparisons are integer arithmetic with no precision setting to get wrong.
 * decimal.js is a floating decimal whose results are rounded to a configured number of
 * significant digits (20 by default: a sum of two numeric(20, 6) values may need 21), and it
 * accepts exponents, NaN and Infinity, which a quantity must not be. Rounding happens only where
 * a caller asks for it (`ratio`); a decimal beyond the 6th is refused, never rounded away.
 *
 * Method names follow decimal.js, which the domains used before, so call sites read the same.
 */
export class Quantity {
  static readonly ZERO = new Quantity(0n);

  private constructor(
    /** The quantity in millionths. */
    readonly micros: bigint,
  ) {}

  static fromMicros(micros: bigint): Quantity {
    return new Quantity(micros);
  }

  /**
   * A quantity from trusted text (a stored value such as "12.500000", an input a schema has
   * checked) or a whole number. Anything else, including a 7th significant decimal, is a
   * RangeError: a programming error, not a user's (users' input goes through `parseQuantity`).
   */
  static of(value: QuantityLike): Quantity {
    if (value instanceof Quantity) return value;
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw new RangeError(`not a whole number of units: ${value}`);
      return new Quantity(BigInt(value) * SCALE);
    }
    const parts = decimalParts(value);
    if (!parts || parts.fraction.length > DECIMAL_FRACTION_DIGITS) {
      throw new RangeError(`not a decimal with at most ${DECIMAL_FRACTION_DIGITS} decimals: ${JSON.stringify(value)}`);
    }
    const magnitude = BigInt(parts.whole) * SCALE + BigInt(parts.fraction.padEnd(DECIMAL_FRACTION_DIGITS, "0"));
    return new Quantity(parts.negative ? -magnitude : magnitude);
  }

  /**
   * The quantity numeric(20, 6) keeps of decimal text with any number of decimals: rounded half
   * away from zero past the 6th, as PostgreSQL does when it stores one. Only for a store that
   * must agree with SQL on text it was given as is (the Neo4j genealogy sums what it recorded);
   * an input is refused, never rounded (`parseQuantity`). Not a decimal is a RangeError.
   */
  static asStored(text: string): Quantity {
    const parts = decimalParts(text);
    if (!parts) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
    const kept = parts.fraction.slice(0, DECIMAL_FRACTION_DIGITS).padEnd(DECIMAL_FRACTION_DIGITS, "0");
    const roundsUp = (parts.fraction[DECIMAL_FRACTION_DIGITS] ?? "0") >= "5";
    const magnitude = BigInt(parts.whole) * SCALE + BigInt(kept) + (roundsUp ? 1n : 0n);
    return new Quantity(parts.negative ? -magnitude : magnitude);
  }

  /** The sum of `values` (zero for none). */
  static sum(values: Iterable<QuantityLike>): Quantity {
    let total = 0n;
    for (const value of values) total += Quantity.of(value).micros;
    return new Quantity(total);
  }

  plus(other: QuantityLike): Quantity {
    return new Quantity(this.micros + Quantity.of(other).micros);
  }

  minus(other: QuantityLike): Quantity {
    return new Quantity(this.micros - Quantity.of(other).micros);
  }

  negated(): Quantity {
    return new Quantity(-this.micros);
  }

  abs(): Quantity {
    return this.micros < 0n ? this.negated() : this;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: QuantityLike): -1 | 0 | 1 {
    const difference = this.micros - Quantity.of(other).micros;
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }

  eq(other: QuantityLike): boolean {
    return this.cmp(other) === 0;
  }

  gt(other: QuantityLike): boolean {
    return this.cmp(other) > 0;
  }

  gte(other: QuantityLike): boolean {
    return this.cmp(other) >= 0;
  }

  lt(other: QuantityLike): boolean {
    return this.cmp(other) < 0;
  }

  lte(other: QuantityLike): boolean {
    return this.cmp(other) <= 0;
  }

  isZero(): boolean {
    return this.micros === 0n;
  }

  isNegative(): boolean {
    return this.micros < 0n;
  }

  isPositive(): boolean {
    return this.micros > 0n;
  }

  /** A whole number of units (serial-tracked materials count units). */
  isInteger(): boolean {
    return this.micros % SCALE === 0n;
  }

  /** Whether numeric(20, 6) holds it: at most 14 digits before the point. */
  fitsStorage(): boolean {
    const whole = (this.micros < 0n ? -this.micros : this.micros) / SCALE;
    return whole.toString().length <= DECIMAL_INTEGER_DIGITS;
  }

  /**
   * this / denominator rounded half up to `decimals` places, printed with exactly that many
   * (a yield: "0.9500"). The division is exact integer arithmetic, rounded once.
   */
  ratio(denominator: QuantityLike, decimals = 4): string {
    const divisor = Quantity.of(denominator).micros;
    if (divisor === 0n) throw new RangeError("ratio with a zero denominator");
    return printRounded(this.micros * 10n ** BigInt(checkDecimals(decimals)), divisor, decimals);
  }

  /**
   * Canonical text: plain notation, no trailing zeros, no "-0" ("12.5", "3", "-0.000001").
   * With `decimals`, exactly that many, rounded half up as `ratio` rounds: `toFixed(6)` prints
   * what numeric(20, 6)::text does ("12.500000", "0.000000").
   */
  toFixed(decimals?: number): string {
    if (decimals !== undefined && checkDecimals(decimals) < DECIMAL_FRACTION_DIGITS)
      return printRounded(this.micros * 10n ** BigInt(decimals), SCALE, decimals);
    const negative = this.micros < 0n;
    const magnitude = negative ? -this.micros : this.micros;
    const digits = (magnitude % SCALE).toString().padStart(DECIMAL_FRACTION_DIGITS, "0");
    // Nothing to round: the 6 decimals held, then zeros up to `decimals` (none for canonical text).
    const fraction = decimals === undefined ? digits.replace(/0+$/, "") : digits.padEnd(decimals, "0");
    return `${negative ? "-" : ""}${magnitude / SCALE}${fraction ? `.${fraction}` : ""}`;
  }

  toString(): string {
    return this.toFixed();
  }

  /**
   * The nearest double, for a format that wants a JSON number (EPCIS): past 15 or so significant
   * digits it is not exact. Arithmetic stays on the Quantity.
   */
  toNumber(): number {
    return Number(this.toFixed());
  }

  /** JSON (an audit entry, an idempotent result) carries the canonical text, as the scalar does. */
  toJSON(): string {
    return this.toFixed();
  }
}

function checkDecimals(decimals: number): number {
  if (!Number.isSafeInteger(decimals) || decimals < 0) throw new RangeError(`not a number of decimals: ${decimals}`);
  return decimals;
}

/** numerator / divisor rounded half away from zero to a whole number of 10^-decimals, printed with `decimals` places. */
function printRounded(numerator: bigint, divisor: bigint, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const negative = numerator < 0n !== divisor < 0n;
  const absNumerator = numerator < 0n ? -numerator : numerator;
  const absDivisor = divisor < 0n ? -divisor : divisor;
  const scaled = (absNumerator * 2n + absDivisor) / (absDivisor * 2n);
  const fraction = (scaled % scale).toString().padStart(decimals, "0");
  const sign = negative && scaled !== 0n ? "-" : "";
  return decimals > 0 ? `${sign}${scaled / scale}.${fraction}` : `${sign}${scaled}`;
}
