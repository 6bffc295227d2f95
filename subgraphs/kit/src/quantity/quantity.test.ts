import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { checkQuantity, parseQuantity, quantitySchema } from "./quantity-input.ts";
import { Quantity } from "./quantity.ts";

const q = (text: string) => Quantity.of(text);

describe("Quantity", () => {
  it("prints the canonical text: plain, no leading or trailing zeros, no -0", () => {
    expect(q("12.500000").toFixed()).toBe("12.5");
    expect(q("007").toFixed()).toBe("7");
    expect(q("0.000001").toFixed()).toBe("0.000001");
    expect(q("-0.000001").toFixed()).toBe("-0.000001");
    expect(q("-0").toFixed()).toBe("0");
    expect(q(" 3.10 ").toString()).toBe("3.1");
    expect(JSON.stringify({ quantity: q("2.50") })).toBe('{"quantity":"2.5"}');
  });

  it("keeps 6 decimals exactly and refuses a 7th rather than rounding it", () => {
    expect(q("0.1").plus("0.2").toFixed()).toBe("0.3");
    expect(q("1.999999").plus("0.000001").toFixed()).toBe("2");
    expect(q("1.0000000").toFixed()).toBe("1");
    expect(() => q("1.0000001")).toThrow(RangeError);
    for (const bad of ["1e5", "", ".5", "1.", "NaN", "Infinity", "1,5", "+1"]) {
      expect(() => q(bad), bad).toThrow(RangeError);
    }
  });

  it("adds, subtracts, negates and compares exactly, signs included", () => {
    expect(q("5").minus("5.000001").toFixed()).toBe("-0.000001");
    expect(q("-2.5").negated().toFixed()).toBe("2.5");
    expect(q("-2.5").abs().toFixed()).toBe("2.5");
    expect(q("5").gt("5")).toBe(false);
    expect(q("5.000001").gt("5")).toBe(true);
    expect(q("-1").lt(Quantity.ZERO)).toBe(true);
    expect(q("3.000").eq(3)).toBe(true);
    expect(q("3.5").cmp("3.50")).toBe(0);
    expect(q("-0.000001").isNegative()).toBe(true);
    expect(q("0.000000").isZero()).toBe(true);
    expect(q("4").isInteger()).toBe(true);
    expect(q("4.000001").isInteger()).toBe(false);
  });

  it("stays exact far beyond what a double holds, and says what numeric(20, 6) cannot store", () => {
    const largest = q("99999999999999.999999");
    expect(largest.fitsStorage()).toBe(true);
    expect(largest.plus(largest).toFixed()).toBe("199999999999999.999998");
    expect(largest.plus("0.000001").fitsStorage()).toBe(false);
    expect(largest.negated().minus("0.000001").fitsStorage()).toBe(false);
    expect(q("123456789012345678901234567890.123456").minus("0.000001").toFixed()).toBe(
      "123456789012345678901234567890.123455",
    );
  });

  it("rounds a ratio half up, once, to the decimals asked for", () => {
    expect(q("95").ratio("100")).toBe("0.9500");
    expect(q("2").ratio("3")).toBe("0.6667");
    expect(q("1").ratio("3")).toBe("0.3333");
    expect(q("0.00005").ratio("1")).toBe("0.0001");
    expect(q("0.000049").ratio("1")).toBe("0.0000");
    expect(q("-1").ratio("8", 2)).toBe("-0.13");
    expect(q("7").ratio("2", 0)).toBe("4");
    expect(() => q("1").ratio(Quantity.ZERO)).toThrow(RangeError);
  });

  it("prints a fixed number of decimals, as numeric(20, 6)::text does with 6", () => {
    const micros = (n: bigint) => Quantity.fromMicros(n).toFixed(6);
    expect(micros(1_500_000n)).toBe("1.500000");
    expect(micros(0n)).toBe("0.000000");
    expect(micros(1n)).toBe("0.000001");
    expect(micros(-2_000_001n)).toBe("-2.000001");
    expect(micros(999_999_999_999_999n)).toBe("999999999.999999");
    expect(q("99999999999999.999999").toFixed(6)).toBe("99999999999999.999999");
    expect(q("2.5").toFixed(8)).toBe("2.50000000");
    expect(q("2.45").toFixed(1)).toBe("2.5");
    expect(q("-2.45").toFixed(1)).toBe("-2.5");
    expect(q("-0.04").toFixed(1)).toBe("0.0");
    expect(q("7.5").toFixed(0)).toBe("8");
    expect(() => q("1").toFixed(-1)).toThrow(RangeError);
    expect(() => q("1").toFixed(1.5)).toThrow(RangeError);
  });

  it("keeps what numeric(20, 6) stores of stored text: half away from zero past the 6th decimal", () => {
    expect(Quantity.asStored("1.0000005").toFixed()).toBe("1.000001");
    expect(Quantity.asStored("1.0000004999").toFixed()).toBe("1");
    expect(Quantity.asStored("-1.0000005").toFixed()).toBe("-1.000001");
    expect(Quantity.asStored("0.9999995").toFixed()).toBe("1");
    expect(Quantity.asStored(" 12.500000 ").toFixed()).toBe("12.5");
    expect(Quantity.asStored("-0.0000001").toFixed(6)).toBe("0.000000");
    for (const bad of ["1e5", "", ".5", "NaN"]) expect(() => Quantity.asStored(bad), bad).toThrow(RangeError);
  });

  it("sums any number of quantities exactly", () => {
    expect(Quantity.sum([]).toFixed()).toBe("0");
    expect(Quantity.sum(["0.1", "0.2", q("-0.05"), 2]).toFixed()).toBe("2.25");
    expect(Quantity.sum(["99999999999999.999999", "0.000001"]).toFixed()).toBe("100000000000000");
  });

  it("gives the nearest double only when asked for a number", () => {
    expect(q("12.5").toNumber()).toBe(12.5);
    expect(q("-0.000001").toNumber()).toBe(-0.000001);
    expect(q("0").toNumber()).toBe(0);
  });

  it("takes whole numbers of units as JS numbers, nothing else", () => {
    expect(Quantity.of(12).toFixed()).toBe("12");
    expect(() => Quantity.of(1.5)).toThrow(RangeError);
    expect(() => Quantity.of(Number.NaN)).toThrow(RangeError);
  });
});

describe("quantity input", () => {
  it("accepts a positive quantity that numeric(20, 6) holds exactly", () => {
    expect(parseQuantity("quantity", "12.5").toFixed()).toBe("12.5");
    expect(parseQuantity("quantity", "99999999999999.999999").toFixed()).toBe("99999999999999.999999");
    expect(parseQuantity("quantity", "0.0000010").toFixed()).toBe("0.000001");
  });

  it("says what is wrong, naming the field", () => {
    expect(checkQuantity("quantity", "abc", "positive")).toBe('quantity must be a decimal number such as "12.5"');
    expect(checkQuantity("quantity", "1e3", "positive")).toBe('quantity must be a decimal number such as "12.5"');
    expect(checkQuantity("quantity", "0", "positive")).toBe("quantity must be greater than zero");
    expect(checkQuantity("quantity", "-0.5", "positive")).toBe("quantity must be greater than zero");
    expect(checkQuantity("delta", "-0.000", "non-zero")).toBe("delta must not be zero");
    expect(checkQuantity("quantity", "1.0000001", "positive")).toBe("quantity has more than 6 decimals");
    expect(checkQuantity("quantity", "100000000000000", "positive")).toBe("quantity is too large");
    expect(checkQuantity("delta", "-100000000000000", "non-zero")).toBe("delta is too large");
  });

  it("lets a signed delta be negative", () => {
    const delta = checkQuantity("delta", "-2.25", "non-zero");
    expect(delta).toBeInstanceOf(Quantity);
    expect(String(delta)).toBe("-2.25");
  });

  it("refuses as BAD_USER_INPUT on the field outside a schema", () => {
    try {
      parseQuantity("components.0.quantity", "-1");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("BAD_USER_INPUT");
      expect((error as DomainError).details).toEqual({ field: "components.0.quantity" });
    }
  });

  it("reports through zod with the other problems of the input", () => {
    const schema = quantitySchema("quantity");
    expect(schema.parse("2.50").toFixed()).toBe("2.5");
    const result = schema.safeParse("0");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["quantity must be greater than zero"]);
  });
});
