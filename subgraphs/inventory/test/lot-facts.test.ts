import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { receive, setUpPlant, type Plant } from "./fixtures.ts";
import { startInventory, testTargets, type TestInventory } from "./support.ts";

const LOT_FACTS = `query ($ids: [ID!]!) { lotFacts(ids: $ids) { id code materialId materialKind quantity status uom } }`;

describe.each(testTargets())("inventory lotFacts, internal (for traceability's recall) ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;
  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  it("answers many lots at once with their material's kind; unknown and malformed ids are left out", async () => {
    const a = await receive(inv, plant, { quantity: "5" });
    const b = await receive(inv, plant, { quantity: "2", materialId: plant.widget, serialNumbers: ["W-1", "W-2"] });
    const data = await inv.data<{ lotFacts: Array<Record<string, string>> }>(
      LOT_FACTS,
      { ids: [a.id, b.id, randomUUID(), "not-a-uuid", a.id] },
      inv.tokens.internal,
    );
    expect(data.lotFacts.sort((x, y) => x.code!.localeCompare(y.code!))).toEqual(
      [
        {
          id: a.id,
          code: a.code,
          materialId: plant.flour,
          materialKind: "RAW",
          quantity: "5",
          status: "AVAILABLE",
          uom: "kg",
        },
        {
          id: b.id,
          code: b.code,
          materialId: plant.widget,
          materialKind: "FINISHED",
          quantity: "2",
          status: "AVAILABLE",
          uom: "ea",
        },
      ].sort((x, y) => x.code.localeCompare(y.code)),
    );
  });

  it("refuses callers without a service token", async () => {
    const error = await inv.error(LOT_FACTS, { ids: [] }, inv.tokens.admin);
    expect(error.code).toBe("FORBIDDEN");
  });
});
