import { describe, expect, it } from "vitest";
import { Rational } from "./rational.ts";
import { EXACT_SHARES, SHARE_BOUNDS, type ShareBounds } from "./share-arithmetic.ts";

const SCALE = 10n ** 36n;
const within = (bounds: ShareBounds, exact: Rational) =>
  Rational.of(bounds.lo, SCALE).cmp(exact) <= 0 && exact.cmp(Rational.of(bounds.hi, SCALE)) <= 0;

describe("share arithmetic", () => {
  it("takes the same weighted means and maxima exactly and as bounds that hold the exact share", () => {
    // A third, then a mean of it with a source share: (1/3 × 2 + 1 × 5) / 10 = 17/30.
    const third = EXACT_SHARES.mean([[EXACT_SHARES.one, 1_000_000n]], 3_000_000n);
    const mixed = EXACT_SHARES.mean(
      [
        [third, 2_000_000n],
        [EXACT_SHARES.one, 5_000_000n],
      ],
      10_000_000n,
    );
    expect(mixed.toString()).toBe("17/30");
    const thirdBounds = SHARE_BOUNDS.mean([[SHARE_BOUNDS.one, 1_000_000n]], 3_000_000n);
    const mixedBounds = SHARE_BOUNDS.mean(
      [
        [thirdBounds, 2_000_000n],
        [SHARE_BOUNDS.one, 5_000_000n],
      ],
      10_000_000n,
    );
    expect(within(thirdBounds, third) && within(mixedBounds, mixed)).toBe(true);
    expect(mixedBounds.hi - mixedBounds.lo).toBeLessThanOrEqual(3n);
    expect(EXACT_SHARES.max(third, mixed)).toBe(mixed);
    expect(SHARE_BOUNDS.max(thirdBounds, mixedBounds)).toEqual(mixedBounds);
  });

  it("shows a figure the bounds settle, and none when they straddle a tie", () => {
    const sixth = SHARE_BOUNDS.mean([[SHARE_BOUNDS.one, 1_000_000n]], 6_000_000n);
    expect(SHARE_BOUNDS.shown([[sixth, 1_000_000n]])).toBe("0.166667");
    expect(SHARE_BOUNDS.shown([[sixth, 60_000_000n]])).toBe("10.000000");
    // 1/6 × 0.000003 = 0.0000005 exactly: a tie, which bounds around 1/6 cannot place.
    expect(SHARE_BOUNDS.shown([[sixth, 3n]])).toBeNull();
    expect(EXACT_SHARES.shown([[Rational.of(1n, 6n), 3n]])).toBe("0.000000");
    expect(EXACT_SHARES.shown([[Rational.of(1n, 6n), 9n]])).toBe("0.000002");
    // A half is held exactly: its tie is settled without help.
    const half = SHARE_BOUNDS.mean([[SHARE_BOUNDS.one, 1n]], 2n);
    expect(SHARE_BOUNDS.shown([[half, 1n]])).toBe("0.000000");
  });

  it("refuses a negative quantity rather than turn its bounds around", () => {
    expect(() => SHARE_BOUNDS.mean([[SHARE_BOUNDS.one, -1n]], 1n)).toThrow(RangeError);
  });
});
