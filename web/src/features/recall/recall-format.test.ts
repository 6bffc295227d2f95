import { describe, expect, it } from "vitest";
import { customersTold, durationText, fractionText, percentText, quantityText } from "./recall-format.ts";

describe("a recall's numbers on screen", () => {
  it("shows quantities exactly, without the API's trailing zeros", () => {
    expect(quantityText("2.000000", "kg")).toBe("2 kg");
    expect(quantityText("3.333333", "kg")).toBe("3.333333 kg");
    expect(quantityText("12500.500000", "ea")).toBe("12,500.5 ea");
  });

  it("shows a share as a percentage, never a traced share as zero", () => {
    expect(fractionText("1.000000")).toBe("100 %");
    expect(fractionText("0.333333")).toBe("33.33 %");
    expect(fractionText("0.300000")).toBe("30 %");
    expect(fractionText("0.000001")).toBe("< 0.01 %");
    expect(fractionText("0.000000")).toBe("0 %");
  });

  it("shows recovery to one place and the time to answer in words", () => {
    expect(percentText(100)).toBe("100 %");
    expect(percentText(97.54)).toBe("97.5 %");
    expect(durationText(340)).toBe("340 ms");
    expect(durationText(1234)).toBe("1.2 s");
    expect(durationText(125_000)).toBe("2 min 5 s");
  });

  it("counts customers told among those reached, once each", () => {
    const c = (id: string) => ({ customer: { id } });
    expect(customersTold({ exposure: { customers: [c("a"), c("b"), c("a")] }, notices: [c("a"), c("a")] })).toEqual({
      told: 1,
      reached: 2,
    });
    expect(customersTold({ exposure: { customers: [] }, notices: [] })).toEqual({ told: 0, reached: 0 });
  });
});
