import { describe, expect, it } from "vitest";
import { formatDecimal } from "./format.ts";
import { isPositiveQuantity, percentOf, sumQuantities } from "./quantity.ts";

describe("quantities on screen", () => {
  it("sums exactly, in the API's text", () => {
    expect(0.1 + 0.2).not.toBe(0.3); // what the screens did with Number(...)
    expect(sumQuantities(["0.1", "0.2"])).toBe("0.3");
    expect(sumQuantities(["12.5", "60.000000", "0.25"])).toBe("72.75");
    expect(sumQuantities([])).toBe("0");
    expect(sumQuantities(["99999999999999.999999", "0.000001"])).toBe("100000000000000");
    expect(`${formatDecimal(sumQuantities(["1200.1", "0.2"]))} kg`).toBe("1,200.3 kg");
  });

  it("compares with zero exactly", () => {
    expect(isPositiveQuantity("0.000001")).toBe(true);
    expect(isPositiveQuantity("0.000000")).toBe(false);
    expect(isPositiveQuantity("0")).toBe(false);
    expect(isPositiveQuantity("-1")).toBe(false);
  });

  it("gives progress in whole percent, capped at 100", () => {
    expect(percentOf(sumQuantities(["0.1", "0.2"]), "0.3")).toBe(100);
    expect(percentOf("0.3", "0.6")).toBe(50);
    expect(percentOf("1", "3")).toBe(33);
    expect(percentOf("2", "3")).toBe(67);
    expect(percentOf("0.005", "1")).toBe(1); // half up
    expect(percentOf("150", "100")).toBe(100);
    expect(percentOf("0", "100")).toBe(0);
    expect(percentOf("5", "0")).toBe(0);
  });
});
