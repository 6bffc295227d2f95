import { describe, expect, it } from "vitest";
import { flagMassBalance } from "./mass-balance.ts";

const line = (output: string, percent: number | null) => ({
  uom: "kg",
  input: percent === null ? "0.000000" : "100.000000",
  output,
  difference: "0.000000",
  percent,
});

describe("flagMassBalance", () => {
  it("flags a unit with output but no input, and not one with neither", () => {
    const result = flagMassBalance("run", 2, [line("1.500000", null), line("0.000000", null), line("0.000001", null)]);
    expect(result.lines.map((l) => l.flagged)).toEqual([true, false, true]);
    expect(result.flagged).toBe(true);
  });

  it("flags a loss beyond the tolerance, either way", () => {
    const result = flagMassBalance("run", 2, [line("97.000000", 3), line("99.000000", 1), line("103.000000", -3)]);
    expect(result.lines.map((l) => l.flagged)).toEqual([true, false, true]);
    expect(flagMassBalance("run", 2, [line("99.000000", 1)]).flagged).toBe(false);
  });
});
