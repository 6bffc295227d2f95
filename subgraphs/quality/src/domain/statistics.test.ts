import { describe, expect, it } from "vitest";
import { capability } from "./statistics.ts";

describe("capability", () => {
  it("computes mean, sample σ, Cp and Cpk as worked out by hand", () => {
    // values 9, 10, 11, 10: mean = 40 / 4 = 10
    // squared deviations 1 + 0 + 1 + 0 = 2; σ = √(2 / 3) = 0.816496580927726
    // LSL 7, USL 16: Cp = 9 / (6 · 0.816496580927726) = 1.837117307087384
    // Cpk = min(16 − 10, 10 − 7) / (3 · 0.816496580927726) = 3 / 2.449489742783178 = 1.224744871391589
    const c = capability([9, 10, 11, 10], 7, 16);
    expect(c.count).toBe(4);
    expect(c.mean).toBe(10);
    expect(c.standardDeviation).toBeCloseTo(0.816496580927726, 12);
    expect(c.cp).toBeCloseTo(1.837117307087384, 12);
    expect(c.cpk).toBeCloseTo(1.224744871391589, 12);
  });

  it("leaves what is undefined null", () => {
    expect(capability([], 0, 1)).toEqual({ count: 0, mean: null, standardDeviation: null, cp: null, cpk: null });
    expect(capability([5], 0, 10)).toEqual({ count: 1, mean: 5, standardDeviation: null, cp: null, cpk: null });
    expect(capability([5, 5, 5], 0, 10)).toEqual({ count: 3, mean: 5, standardDeviation: 0, cp: null, cpk: null });
  });
});
