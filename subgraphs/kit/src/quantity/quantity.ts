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
    const scale = 10n ** BigInt(decimals);
    const negative = this.micros < 0n !== divisor < 0n;
    const numerator = (this.micros < 0n ? -this.micros : this.micros) * scale;
    const absDivisor = divisor < 0n ? -divisor : divisor;
    const scaled = (numerator * 2n + absDivisor) / (absDivisor * 2n);
    const fraction = (scaled % scale).toString().padStart(decimals, "0");
    const sign = negative && scaled !== 0n ? "-" : "";
    return decimals > 0 ? `${sign}${scaled / scale}.${fraction}` : `${sign}${scaled}`;
  }

  /** Canonical text: plain notation, no trailing zeros, no "-0" ("12.5", "3", "-0.000001"). */
  toFixed(): string {
    const negative = this.micros < 0n;
    const magnitude = negative ? -this.micros : this.micros;
    const fraction = (magnitude % SCALE).toString().padStart(DECIMAL_FRACTION_DIGITS, "0").replace(/0+$/, "");
    return `${negative ? "-" : ""}${magnitude / SCALE}${fraction ? `.${fraction}` : ""}`;
  }

  toString(): string {
    return this.toFixed();
  }

  /** JSON (an audit entry, an idempotent result) carries the canonical text, as the scalar does. */
  toJSON(): string {
    return this.toFixed();
  }
}
