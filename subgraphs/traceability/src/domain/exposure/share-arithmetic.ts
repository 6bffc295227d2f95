import { Rational, roundHalfEven } from "./rational.ts";

const MICROS = 1_000_000n;

/**
 * How a share of source is carried through the allocation. Every step of decision 0023's model
 * is a mean of shares weighted by quantities (a run's inputs by what it consumed, a lot's runs by
 * what each output of it) or a largest share; a figure shown is Σ share × quantity, rounded once.
 */
export interface ShareArithmetic<Share> {
  readonly zero: Share;
  readonly one: Share;
  /** Σ share × weight / total, weights and total in millionths (weights ≥ 0, total > 0). */
  mean(terms: ReadonlyArray<readonly [Share, bigint]>, total: bigint): Share;
  max(a: Share, b: Share): Share;
  /**
   * Σ share × quantity (quantities in millionths, ≥ 0) rounded half to even to 6 places; null
   * when these shares cannot tell which way the exact figure rounds.
   */
  shown(terms: ReadonlyArray<readonly [Share, bigint]>): string | null;
}

/**
 * Exact shares: rationals over bigint. Their size grows with the runs upstream of a lot (each
 * run's total consumption joins the denominator), so on a wide, deep plant they get costly.
 */
export const EXACT_SHARES: ShareArithmetic<Rational> = {
  zero: Rational.ZERO,
  one: Rational.ONE,
  mean(terms, total) {
    let sum = Rational.ZERO;
    for (const [share, weight] of terms) sum = sum.plus(share.times(Rational.of(weight)));
    return sum.dividedBy(Rational.of(total));
  },
  max: (a, b) => a.max(b),
  shown(terms) {
    let sum = Rational.ZERO;
    for (const [share, quantity] of terms) sum = sum.plus(share.times(Rational.of(quantity, MICROS)));
    return sum.toFixed(6);
  },
};

/** An exact share known to lie in [lo, hi] / 10^36. */
export interface ShareBounds {
  lo: bigint;
  hi: bigint;
}

const SCALE = 10n ** 36n;

/**
 * Shares as bounds of fixed size: each mean rounds its lower bound down and its upper bound up,
 * so the exact share stays between them (every weight is a quantity, never negative, and the max
 * keeps order), and the bounds part by a few units of 10^-36 per run between source and lot.
 * Far below the 10^-6 shown: a figure both bounds round alike is the exact figure, rounded once.
 * Only when the exact figure lies on or within a hair of a rounding tie do they differ, and the
 * figure is then worked out exactly (computeExposure).
 */
export const SHARE_BOUNDS: ShareArithmetic<ShareBounds> = {
  zero: { lo: 0n, hi: 0n },
  one: { lo: SCALE, hi: SCALE },
  mean(terms, total) {
    const [lo, hi] = weightedSums(terms);
    return { lo: lo / total, hi: (hi + total - 1n) / total };
  },
  max: (a, b) => ({ lo: a.lo > b.lo ? a.lo : b.lo, hi: a.hi > b.hi ? a.hi : b.hi }),
  shown(terms) {
    const [lo, hi] = weightedSums(terms);
    const low = roundHalfEven(lo, SCALE * MICROS, 6);
    return low === roundHalfEven(hi, SCALE * MICROS, 6) ? low : null;
  },
};

function weightedSums(terms: ReadonlyArray<readonly [ShareBounds, bigint]>): [bigint, bigint] {
  let lo = 0n;
  let hi = 0n;
  for (const [share, weight] of terms) {
    // A negative weight would turn the bounds around; quantities never are.
    if (weight < 0n) throw new RangeError(`a negative quantity in an exposure: ${weight} millionths`);
    lo += share.lo * weight;
    hi += share.hi * weight;
  }
  return [lo, hi];
}
