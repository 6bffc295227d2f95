import { describe, expect, it } from "vitest";
import { changesOf } from "./master-data-changes.ts";

describe("changesOf (what an update changes)", () => {
  const current = { name: "Flour", uom: "kg", externalRef: "ERP-1" as string | null };

  it("keeps only the given fields whose value differs", () => {
    expect(changesOf(current, { name: "Wheat flour", uom: "kg" })).toEqual({ name: "Wheat flour" });
    expect(changesOf(current, { name: "Flour" })).toEqual({});
  });

  it("reads omitted and null as keep, except for a clearable field, where null clears", () => {
    expect(changesOf(current, { name: null, uom: undefined, externalRef: null })).toEqual({});
    expect(changesOf(current, { name: null, externalRef: null }, ["externalRef"])).toEqual({ externalRef: null });
    expect(changesOf(current, { externalRef: undefined }, ["externalRef"])).toEqual({});
  });
});
