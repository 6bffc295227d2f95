import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Quantity } from "@lotgraph/kit";
import { OPS, nextCode, receive, runId, setUpPlant, type Plant, type TestLot } from "./fixtures.ts";
import { expectLedgerConsistent, startInventory, testTargets, type TestInventory } from "./support.ts";

const TOTALS = `query ($ids: [ID!]!) {
  lotLedgerTotals(ids: $ids) { id uom received consumed shipped scrapped adjustments onHand status }
}`;
const LOT_FACTS = `query ($ids: [ID!]!) { lotFacts(ids: $ids) { id quantity } }`;

type Totals = Record<
  "id" | "uom" | "received" | "consumed" | "shipped" | "scrapped" | "adjustments" | "onHand" | "status",
  string
>;

describe.each(testTargets())(
  "inventory lotLedgerTotals, internal (for a recall's reconciliation) ($name)",
  (target) => {
    let inv: TestInventory;
    let plant: Plant;
    beforeAll(async () => {
      inv = await startInventory(target);
      plant = await setUpPlant(inv);
    });
    afterAll(async () => {
      await inv?.close();
    });

    const totals = async (ids: string[]) =>
      (await inv.data<{ lotLedgerTotals: Totals[] }>(TOTALS, { ids }, inv.tokens.internal)).lotLedgerTotals;
    const consume = (lotId: string, quantity: string) =>
      inv.data(
        OPS.consumeFromLot,
        { input: { lotId, quantity, runId: runId(), idempotencyKey: nextCode("consume") } },
        inv.tokens.internal,
      );
    const ship = (lines: Array<{ lotId: string; quantity: string; serialNumbers?: string[] }>) =>
      inv.data(
        OPS.shipLots,
        { input: { customerId: plant.customer, reference: nextCode("PO"), lines } },
        inv.tokens.operator,
      );
    const scrap = (lotId: string, quantity: string) =>
      inv.data(OPS.scrapLot, { input: { lotId, quantity, reason: "torn sack" } }, inv.tokens.manager);
    const adjust = (lotId: string, delta: string) =>
      inv.data(OPS.adjustLot, { input: { lotId, delta, reason: "cycle count" } }, inv.tokens.manager);
    const move = (lotId: string, toLocationId: string) =>
      inv.data(OPS.moveLot, { input: { lotId, toLocationId } }, inv.tokens.operator);

    it("sums a received lot's ledger by what each movement did; a transfer is neither in nor out", async () => {
      const lot = await receive(inv, plant, { quantity: "100.5" });
      await move(lot.id, plant.binB);
      await consume(lot.id, "30.25");
      await ship([{ lotId: lot.id, quantity: "20" }]);
      await scrap(lot.id, "5");
      await adjust(lot.id, "-3.000001");
      await move(lot.id, plant.binA);
      await adjust(lot.id, "1");
      const [line] = await totals([lot.id]);
      expect(line).toEqual({
        id: lot.id,
        uom: "kg",
        received: "100.5",
        consumed: "30.25",
        shipped: "20",
        scrapped: "5",
        adjustments: "-2.000001",
        onHand: "43.249999",
        status: "AVAILABLE",
      });
    });

    it("counts a produced lot's output as what it received, and reports each lot's unit and status now", async () => {
      const { produceLot } = await inv.data<{ produceLot: { lot: TestLot } }>(
        OPS.produceLot,
        {
          input: {
            runId: runId(),
            materialId: plant.flour,
            quantity: "12.5",
            code: nextCode("MADE"),
            locationId: plant.binB,
            idempotencyKey: nextCode("out"),
          },
        },
        inv.tokens.internal,
      );
      await consume(produceLot.lot.id, "12.5");
      const widgets = await receive(inv, plant, {
        materialId: plant.widget,
        quantity: "3",
        serialNumbers: ["LT-1", "LT-2", "LT-3"],
      });
      await ship([{ lotId: widgets.id, quantity: "1", serialNumbers: ["LT-2"] }]);
      const scrapped = await receive(inv, plant, { quantity: "7" });
      await inv.data(OPS.scrapLot, { input: { lotId: scrapped.id, reason: "water damage" } }, inv.tokens.manager);

      const lines = await totals([widgets.id, produceLot.lot.id, scrapped.id]);
      expect(lines).toEqual([
        {
          id: widgets.id,
          uom: "ea",
          received: "3",
          consumed: "0",
          shipped: "1",
          scrapped: "0",
          adjustments: "0",
          onHand: "2",
          status: "AVAILABLE",
        },
        {
          id: produceLot.lot.id,
          uom: "kg",
          received: "12.5",
          consumed: "12.5",
          shipped: "0",
          scrapped: "0",
          adjustments: "0",
          onHand: "0",
          status: "CONSUMED",
        },
        {
          id: scrapped.id,
          uom: "kg",
          received: "7",
          consumed: "0",
          shipped: "0",
          scrapped: "7",
          adjustments: "0",
          onHand: "0",
          status: "SCRAPPED",
        },
      ]);
    });

    it("reports on-hand as lotFacts does, and every lot it answers balances", async () => {
      const a = await receive(inv, plant, { quantity: "9" });
      await consume(a.id, "4");
      await adjust(a.id, "2");
      const b = await receive(inv, plant, { quantity: "1" });
      const ids = [a.id, b.id];
      const facts = (
        await inv.data<{ lotFacts: Array<{ id: string; quantity: string }> }>(LOT_FACTS, { ids }, inv.tokens.internal)
      ).lotFacts;
      const lines = await totals(ids);
      for (const line of lines) {
        expect(line.onHand).toBe(facts.find((f) => f.id === line.id)?.quantity);
        const located = Quantity.sum([line.consumed, line.shipped, line.scrapped, line.onHand]);
        expect(located.toFixed()).toBe(Quantity.of(line.received).plus(line.adjustments).toFixed());
      }
      await expectLedgerConsistent(inv.sql);
    });

    it("leaves out unknown and malformed ids and answers each lot once", async () => {
      const lot = await receive(inv, plant, { quantity: "2" });
      const lines = await totals([randomUUID(), lot.id, "not-a-uuid", lot.id]);
      expect(lines.map((line) => line.id)).toEqual([lot.id]);
      expect(await totals([])).toEqual([]);
    });

    it("refuses callers without a service token, and more than 5000 ids", async () => {
      for (const token of [inv.tokens.admin, inv.tokens.viewer]) {
        expect((await inv.error(TOTALS, { ids: [] }, token)).code).toBe("FORBIDDEN");
      }
      expect((await inv.error(TOTALS, { ids: [] })).code).toBe("UNAUTHENTICATED");
      const tooMany = Array.from({ length: 5001 }, () => randomUUID());
      expect((await inv.error(TOTALS, { ids: tooMany }, inv.tokens.internal)).code).toBe("BAD_USER_INPUT");
    });
  },
);
