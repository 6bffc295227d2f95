import { describe, expect, it } from "vitest";
import { individualsLimits } from "./spc.ts";

describe("individualsLimits", () => {
  it("puts the control limits 2.66 average moving ranges either side of the mean", () => {
    // Moving ranges 2, 2, 2: average 2, so the limits are the mean ± 5.32.
    const limits = individualsLimits([10, 12, 10, 12]);
    expect(limits!.mean).toBe(11);
    expect(limits!.lcl).toBeCloseTo(11 - 5.32, 10);
    expect(limits!.ucl).toBeCloseTo(11 + 5.32, 10);
  });

  it("has no limits for fewer than two measurements, and zero spread for a constant process", () => {
    expect(individualsLimits([])).toBeNull();
    expect(individualsLimits([5])).toBeNull();
    expect(individualsLimits([5, 5, 5])).toEqual({ mean: 5, lcl: 5, ucl: 5 });
  });
});
