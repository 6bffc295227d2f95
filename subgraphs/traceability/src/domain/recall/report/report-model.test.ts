import { describe, expect, it } from "vitest";
import { IDS, drillFacts, largeFacts, recallFacts } from "./report-fixtures.ts";
import { namesNeeded, percentOfFraction, recallReport, topLotsBySource } from "./report-model.ts";

describe("recallReport", () => {
  it("shows a drill's header, summary, customers and lots by name", () => {
    const report = recallReport(drillFacts());
    expect(report).toMatchObject({
      number: "DRILL-2026-0001",
      kind: "DRILL",
      status: "OPEN",
      reason: "annual mock recall",
      source: { kind: "SUPPLIER_LOT_CODE", label: "SL-1", lotId: null },
      opened: { byName: "Rhea Recall", at: new Date("2026-03-04T08:00:00.000Z") },
      closed: null,
      answeredInMs: 1234,
      containment: { state: "NONE", lotHolds: 0, supplierHolds: 0 },
      generated: { byName: "Ada Auditor", install: "plant-1" },
    });
    expect(report.summary).toEqual({
      lotsAffected: 2,
      lotsFoundLater: 0,
      finishedLots: 1,
      onHandLots: 1,
      shipments: 2,
      customers: 2,
      customersNotified: 0,
      customersAcknowledged: 0,
      recoveryPercent: 100,
      balanced: true,
      sourceQuantity: [{ quantity: "30.000000", uom: "kg" }],
    });
    expect(
      report.customers.map((c) => [c.name, c.code, c.shipments.map((s) => s.reference), c.quantityOfSource]),
    ).toEqual([
      ["Corner Shop, Ltd", "SHOP", ["SO-1001"], "12.000000"],
      ["Café Łódź", "CAFE", ["=SO-1002"], "6.000000"],
    ]);
    expect(
      report.lots.map((l) => [l.code, l.materialName, l.materialSku, l.depth, l.fractionPercent, l.foundLater]),
    ).toEqual([
      ["FL-1", "Wheat flour T55", "FLOUR", 0, "100.0000", false],
      ["CK-1", "Butter cookie", "COOKIE", 1, "30.0000", false],
    ]);
    expect(report.notices).toEqual([]);
    expect(report.actions).toEqual([]);
  });

  it("shows a real recall's notices, who was told, and what its open actions concern", () => {
    const report = recallFacts();
    const shown = recallReport(report);
    expect(shown.kind).toBe("RECALL");
    expect(shown.containment).toEqual({ state: "PLACED", lotHolds: 0, supplierHolds: 1 });
    expect(shown.summary).toMatchObject({ customers: 2, customersNotified: 1, customersAcknowledged: 1 });
    expect(shown.notices).toEqual([
      expect.objectContaining({
        customerId: IDS.shop,
        customerName: "Corner Shop, Ltd",
        recordedByName: "Rhea Recall",
      }),
    ]);
    expect(shown.actions.map((a) => [a.kind, a.subject])).toEqual([
      ["NOTIFY_CUSTOMER", "Café Łódź"],
      ["RECOVER_ON_HAND", "CK-1"],
    ]);
  });

  it("shows a closed case with its signature, and a lot case by the lot's code", () => {
    const facts = drillFacts();
    const closedAt = new Date("2026-03-05T12:00:00Z");
    facts.record = {
      ...facts.record,
      sourceLotId: IDS.flour,
      supplierLotCode: null,
      status: "CLOSED",
      closedAt,
      closedById: "u-2",
      closedByName: "Quinn Manager",
      closeReason: "drill complete",
      signerName: "Quinn Manager",
      signedAt: closedAt,
      signatureMeaning: "reviewed and approved",
    };
    const report = recallReport(facts);
    expect(report.source).toEqual({ kind: "LOT", label: "FL-1", lotId: IDS.flour });
    expect(report.closed).toEqual({
      at: closedAt,
      byName: "Quinn Manager",
      reason: "drill complete",
      signature: { signerName: "Quinn Manager", meaning: "reviewed and approved", signedAt: closedAt },
    });
  });

  it("marks lots found after opening, and falls back to ids for what has no name", () => {
    const facts = drillFacts();
    facts.answer.scope.lots.push({ lot: { id: IDS.later }, frozen: false, createdAt: null });
    facts.answer.scope.foundLaterCount = 1;
    facts.answer.exposure.lots.push({
      lot: { id: IDS.later },
      depth: 1,
      fraction: "0.300000",
      quantityOfSource: "3.000000",
      quantity: "10.000000",
      uom: "?",
    });
    facts.answer.exposure.customers.push({
      customer: { id: "0a000000-0000-4000-8000-0000000000ff" },
      shipments: [{ id: "05000000-0000-4000-8000-0000000000ff" }],
      quantityOfSource: "1.000000",
      uom: "kg",
    });
    const report = recallReport(facts);
    expect(report.summary.lotsFoundLater).toBe(1);
    expect(report.lots.at(-1)).toMatchObject({ code: "CK-2", foundLater: true, uom: "kg" });
    expect(report.customers.at(-1)).toMatchObject({
      name: "0a000000-0000-4000-8000-0000000000ff",
      code: "",
      shipments: [{ reference: "05000000-0000-4000-8000-0000000000ff" }],
    });
  });
});

describe("namesNeeded", () => {
  it("asks once for every lot, customer and shipment the report prints", () => {
    const facts = recallFacts();
    const request = namesNeeded(facts);
    expect([...request.lotIds].sort()).toEqual([IDS.flour, IDS.cookie].sort());
    expect([...request.partyIds].sort()).toEqual([IDS.shop, IDS.cafe].sort());
    expect([...request.shipmentIds].sort()).toEqual([IDS.toShop, IDS.toCafe].sort());
  });
});

describe("percentOfFraction", () => {
  it("moves the point two places without rounding", () => {
    expect(percentOfFraction("1.000000")).toBe("100.0000");
    expect(percentOfFraction("0.300000")).toBe("30.0000");
    expect(percentOfFraction("0.333333")).toBe("33.3333");
    expect(percentOfFraction("0.000001")).toBe("0.0001");
  });
});

describe("topLotsBySource", () => {
  it("takes the lots holding the most source, largest first, compared exactly", () => {
    const lots = recallReport(largeFacts(10_000)).lots;
    const top = topLotsBySource(lots, 3);
    expect(top.map((l) => l.code)).toEqual(["LOT-00000", "LOT-00001", "LOT-00002"]);
    // Exact comparison: 0.000001 apart is still an order.
    const close = [
      { ...lots[1]!, code: "A", quantityOfSource: "1.000000" },
      { ...lots[1]!, code: "B", quantityOfSource: "1.000001" },
    ];
    expect(topLotsBySource(close, 2).map((l) => l.code)).toEqual(["B", "A"]);
  });
});
