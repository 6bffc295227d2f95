import { Quantity } from "@lotgraph/kit";

const MICROS_PER_UNIT = 1_000_000n;

/**
 * An exact fraction of two bigints, always in lowest terms with a positive denominator.
 *
 * Why not a decimal (decision 0023): a consumption share such as 30 / 70 has no finite decimal,
 * and shares multiply along every level of a genealogy, so any rounding on the way would drift
 * and could make a lot look less exposed than it is. Exposure is computed in these and rounded
 * once, when shown.
 */
export class Rational {
  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  private constructor(
    readonly numerator: bigint,
    /** Always positive. */
    readonly denominator: bigint,
  ) {}

  /** numerator / denominator in lowest terms; a zero denominator is a RangeError. */
  static of(numerator: bigint, denominator = 1n): Rational {
    if (denominator === 0n) throw new RangeError("a rational with a zero denominator");
    if (denominator < 0n) [numerator, denominator] = [-numerator, -denominator];
    const divisor = gcd(numerator, denominator);
    return divisor === 1n
      ? new Rational(numerator, denominator)
      : new Rational(numerator / divisor, denominator / divisor);
  }

  /** A stored quantity ("12.500000", at most 6 decimals), exactly. */
  static fromDecimal(text: string): Rational {
    return Rational.of(Quantity.of(text).micros, MICROS_PER_UNIT);
  }

  plus(other: Rational): Rational {
    if (this.denominator === other.denominator) return Rational.of(this.numerator + other.numerator, this.denominator);
    return Rational.of(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  times(other: Rational): Rational {
    return Rational.of(this.numerator * other.numerator, this.denominator * other.denominator);
  }

  /** this / other; dividing by zero is a RangeError. */
  dividedBy(other: Rational): Rational {
    if (other.numerator === 0n) throw new RangeError("division of a rational by zero");
    return Rational.of(this.numerator * other.denominator, this.denominator * other.numerator);
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Rational): -1 | 0 | 1 {
    const difference = this.numerator * other.denominator - other.numerator * this.denominator;
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  }

  /** The larger of the two (this one when equal). */
  max(other: Rational): Rational {
    return other.cmp(this) > 0 ? other : this;
  }

  isZero(): boolean {
    return this.numerator === 0n;
  }

  isPositive(): boolean {
    return this.numerator > 0n;
  }

  /**
   * Rounded half to even (a tie goes to the even last digit, so ties do not all lean one way
   * when many figures are summed by a reader) and printed with exactly `decimals` places.
   */
  toFixed(decimals = 6): string {
    if (!Number.isSafeInteger(decimals) || decimals < 0) throw new RangeError(`not a number of decimals: ${decimals}`);
    const scale = 10n ** BigInt(decimals);
    const negative = this.numerator < 0n;
    const scaled = (negative ? -this.numerator : this.numerator) * scale;
    let units = scaled / this.denominator;
    const twiceRemainder = (scaled % this.denominator) * 2n;
    if (twiceRemainder > this.denominator || (twiceRemainder === this.denominator && units % 2n === 1n)) units += 1n;
    const whole = (units / scale).toString();
    const fraction = decimals > 0 ? `.${(units % scale).toString().padStart(decimals, "0")}` : "";
    return `${negative && units !== 0n ? "-" : ""}${whole}${fraction}`;
  }

  toString(): string {
    return `${this.numerator}/${this.denominator}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}
