import { describe, expect, it } from "vitest";
import { openActions } from "./open-actions.ts";
import type { RecallAnswer, RecallNoticeRecord } from "./recall-records.ts";

const SHOP = "00000000-0000-4000-8000-00000000000a";
const CAFE = "00000000-0000-4000-8000-00000000000b";

function answer(balanced: boolean): RecallAnswer {
  return {
    scope: { lots: [], frozenCount: 0, foundLaterCount: 0, finishedLots: [], onHand: [], shipments: [] },
    exposure: {
      lots: [],
      serials: [],
      sourceQuantity: [],
      customers: [
        { customer: { id: SHOP }, shipments: [], quantityOfSource: "12", uom: "kg" },
        { customer: { id: CAFE }, shipments: [], quantityOfSource: "6", uom: "kg" },
      ],
    },
    reconciliation: { lines: [], percentAccountedFor: balanced ? 100 : 80, balanced },
  };
}

function notice(customerId: string, acknowledged: boolean): RecallNoticeRecord {
  const at = new Date("2026-12-01T10:00:00Z");
  return {
    id: customerId,
    caseId: "case",
    customerId,
    notifiedAt: at,
    acknowledgedAt: acknowledged ? at : null,
    note: "",
    recordedAt: at,
    recordedById: "u",
    recordedByName: "U",
  };
}

const cookies = { id: "lot-1", materialKind: "FINISHED" as const, quantity: "40", status: "ON_HOLD", uom: "kg" };

describe("a recall's open actions", () => {
  it("asks to tell every reached customer, then to get their acknowledgement, and to decide what is on hand", () => {
    const actions = openActions({
      drill: false,
      answer: answer(true),
      notices: [notice(SHOP, true)],
      onHand: [cookies],
    });
    expect(actions.map((a) => [a.kind, a.customer?.id ?? a.lot?.id])).toEqual([
      ["NOTIFY_CUSTOMER", CAFE],
      ["RECOVER_ON_HAND", "lot-1"],
    ]);
    expect(actions[0]!.description).toContain("6 kg");
    expect(actions[1]!.description).toBe("40 kg still on hand (ON_HOLD): decide its disposition");
    const waiting = openActions({
      drill: false,
      answer: answer(true),
      notices: [notice(SHOP, true), notice(CAFE, false)],
      onHand: [],
    });
    expect(waiting.map((a) => [a.kind, a.customer?.id])).toEqual([["AWAIT_ACKNOWLEDGEMENT", CAFE]]);
  });

  it("counts a later acknowledged notice to the same customer", () => {
    const actions = openActions({
      drill: false,
      answer: answer(true),
      notices: [notice(SHOP, false), notice(SHOP, true), notice(CAFE, true)],
      onHand: [],
    });
    expect(actions).toEqual([]);
  });

  it("asks a drill only to reconcile, and only when the ledger does not balance", () => {
    expect(openActions({ drill: true, answer: answer(true), notices: [], onHand: [cookies] })).toEqual([]);
    const unbalanced = openActions({ drill: true, answer: answer(false), notices: [], onHand: [cookies] });
    expect(unbalanced.map((a) => a.kind)).toEqual(["RECONCILE"]);
    expect(unbalanced[0]!.description).toContain("80 %");
  });
});
