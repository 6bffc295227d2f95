import { describe, expect, it } from "vitest";
import { Rational } from "./rational.ts";

const r = (numerator: bigint, denominator = 1n) => Rational.of(numerator, denominator);

describe("Rational", () => {
  it("keeps lowest terms with a positive denominator", () => {
    expect(r(6n, -4n).toString()).toBe("-3/2");
    expect(r(0n, 7n).toString()).toBe("0/1");
    expect(Rational.fromDecimal("12.500000").toString()).toBe("25/2");
    expect(Rational.fromDecimal("0.000001").toString()).toBe("1/1000000");
    expect(() => r(1n, 0n)).toThrow(RangeError);
  });

  it("adds, multiplies and divides exactly", () => {
    expect(r(1n, 3n).plus(r(1n, 6n)).toString()).toBe("1/2");
    expect(r(1n, 3n).plus(r(2n, 3n)).toString()).toBe("1/1");
    expect(r(30n).dividedBy(r(100n)).times(r(90n)).toString()).toBe("27/1");
    expect(r(2n, 3n).times(r(-9n, 4n)).toString()).toBe("-3/2");
    expect(() => r(1n).dividedBy(Rational.ZERO)).toThrow(RangeError);
  });

  it("compares across denominators", () => {
    expect(r(1n, 3n).cmp(r(333_333n, 1_000_000n))).toBe(1);
    expect(r(2n, 4n).cmp(r(1n, 2n))).toBe(0);
    expect(r(-1n, 2n).cmp(r(1n, 3n))).toBe(-1);
    expect(r(3n, 10n).max(r(1n, 4n)).toString()).toBe("3/10");
    expect(r(1n, 4n).max(r(3n, 10n)).toString()).toBe("3/10");
  });

  it("rounds once, half to even, with exactly the places asked for", () => {
    expect(r(1n, 3n).toFixed(6)).toBe("0.333333");
    expect(r(2n, 3n).toFixed(6)).toBe("0.666667");
    expect(r(5n, 10_000_000n).toFixed(6)).toBe("0.000000"); // 0.0000005: tie, 0 is even
    expect(r(15n, 10_000_000n).toFixed(6)).toBe("0.000002"); // 0.0000015: tie, 2 is even
    expect(r(25n, 10_000_000n).toFixed(6)).toBe("0.000002"); // 0.0000025: tie, 2 is even
    expect(r(251n, 100_000_000n).toFixed(6)).toBe("0.000003"); // past the tie: up
    expect(r(5n, 2n).toFixed(0)).toBe("2");
    expect(r(7n, 2n).toFixed(0)).toBe("4");
    expect(r(-15n, 10_000_000n).toFixed(6)).toBe("-0.000002");
    expect(r(-5n, 10_000_000n).toFixed(6)).toBe("0.000000");
    expect(r(123_456_789n, 1000n).toFixed(6)).toBe("123456.789000");
    expect(Rational.ONE.toFixed()).toBe("1.000000");
  });
});
