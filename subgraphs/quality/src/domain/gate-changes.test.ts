import { describe, expect, it } from "vitest";
import { diffGate, loosenings } from "./gate-changes.ts";
import type { GateRecord } from "./records.ts";

const detector: GateRecord = {
  id: "00000000-0000-4000-8000-000000000001",
  name: "Metal detector",
  blocking: true,
  criticalControlPoint: true,
  segregationOfDuties: false,
  active: true,
  deactivatedAt: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  createdById: "u",
  createdByName: "U",
  characteristics: [
    { name: "Fe", lower: 0, upper: 2, unit: "mm" },
    { name: "SS", lower: 0, upper: 3, unit: "mm" },
  ],
};

describe("what a gate update changes and whether it loosens the gate", () => {
  it("keeps only the fields that differ", () => {
    expect(diffGate(detector, { name: "Metal detector", blocking: true, characteristics: null })).toEqual({});
    expect(diffGate(detector, { name: "MD-1", segregationOfDuties: true })).toEqual({
      name: "MD-1",
      segregationOfDuties: true,
    });
    expect(diffGate(detector, { characteristics: detector.characteristics.map((c) => ({ ...c })) })).toEqual({});
  });

  it("finds nothing loose in renaming or tightening", () => {
    const tighter = diffGate(detector, {
      name: "MD-1",
      segregationOfDuties: true,
      characteristics: [
        { name: "Fe", lower: 0.5, upper: 1.5, unit: "mm" },
        { name: "SS", lower: 0, upper: 3, unit: "mm" },
        { name: "NonFe", lower: 0, upper: 2.5, unit: "mm" },
      ],
    });
    expect(loosenings(detector, tighter)).toEqual([]);
  });

  it("names every loosening: flags off, a characteristic removed, widened or in another unit", () => {
    const looser = diffGate(detector, {
      blocking: false,
      criticalControlPoint: false,
      characteristics: [{ name: "Fe", lower: 0, upper: 2.5, unit: "mm" }],
    });
    expect(loosenings(detector, looser)).toEqual([
      "blocking turned off",
      "criticalControlPoint turned off",
      "characteristic Fe widened from [0, 2] to [0, 2.5]",
      "characteristic SS removed",
    ]);
    const lowerWidened = diffGate(detector, {
      characteristics: [
        { name: "Fe", lower: -1, upper: 2, unit: "mm" },
        { name: "SS", lower: 0, upper: 3, unit: "in" },
      ],
    });
    expect(loosenings(detector, lowerWidened)).toEqual([
      "characteristic Fe widened from [0, 2] to [-1, 2]",
      "characteristic SS changes unit",
    ]);
    const sodOff = { ...detector, segregationOfDuties: true };
    expect(loosenings(sodOff, diffGate(sodOff, { segregationOfDuties: false }))).toEqual([
      "segregationOfDuties turned off",
    ]);
  });
});
