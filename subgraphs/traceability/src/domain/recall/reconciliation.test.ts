import { describe, expect, it } from "vitest";
import { reconcile, type LotLedgerTotals } from "./reconciliation.ts";

let next = 0;
/** A lot's totals: nothing moved unless given. */
function lot(uom: string, totals: Partial<Omit<LotLedgerTotals, "id" | "uom">>): LotLedgerTotals {
  return {
    id: `lot-${++next}`,
    uom,
    received: "0",
    consumed: "0",
    shipped: "0",
    scrapped: "0",
    adjustments: "0",
    onHand: "0",
    status: "AVAILABLE",
    ...totals,
  };
}

describe("a recall's reconciliation", () => {
  it("balances at 100 % when every unit received is consumed, on hand, shipped or scrapped", () => {
    const view = reconcile([
      lot("kg", { received: "100.5", consumed: "30.25", shipped: "20", scrapped: "5", onHand: "45.25" }),
      lot("kg", { received: "0.000001", onHand: "0.000001" }),
    ]);
    expect(view).toEqual({
      lines: [
        {
          uom: "kg",
          received: "100.500001",
          consumed: "30.25",
          onHand: "45.250001",
          shipped: "20",
          scrapped: "5",
          adjustments: "0",
          unaccounted: "0",
          percentAccountedFor: 100,
        },
      ],
      percentAccountedFor: 100,
      balanced: true,
    });
  });

  it("sums exactly where floats would not: 0.1 + 0.2 received, 0.3 on hand", () => {
    const view = reconcile([
      lot("L", { received: "0.1", onHand: "0.1" }),
      lot("L", { received: "0.2", onHand: "0.2" }),
    ]);
    expect(view.lines[0]).toMatchObject({ received: "0.3", onHand: "0.3", unaccounted: "0" });
    expect(view.balanced).toBe(true);
  });

  it("explains a count loss by its adjustment: balanced, but less than 100 % located", () => {
    const view = reconcile([lot("kg", { received: "10", adjustments: "-2.5", consumed: "3", onHand: "4.5" })]);
    expect(view.lines[0]).toMatchObject({ adjustments: "-2.5", unaccounted: "0", percentAccountedFor: 75 });
    expect(view).toMatchObject({ balanced: true, percentAccountedFor: 75 });
  });

  it("explains a count gain by its adjustment: balanced, more located than received", () => {
    const view = reconcile([lot("kg", { received: "10", adjustments: "2", shipped: "12" })]);
    expect(view.lines[0]).toMatchObject({ adjustments: "2", unaccounted: "0", percentAccountedFor: 120 });
    expect(view).toMatchObject({ balanced: true, percentAccountedFor: 120 });
  });

  it("does not balance when the ledger leaves stock unexplained, and names how much", () => {
    const view = reconcile([lot("kg", { received: "3", shipped: "1", onHand: "1" })]);
    expect(view.lines[0]).toMatchObject({ unaccounted: "1", percentAccountedFor: 66.67 });
    expect(view).toMatchObject({ balanced: false, percentAccountedFor: 66.67 });
  });

  it("keeps units apart and takes the lowest unit's percentage for the whole recall", () => {
    const view = reconcile([
      lot("kg", { received: "50", consumed: "50" }),
      lot("ea", { received: "8", shipped: "6", adjustments: "-2" }),
      lot("kg", { received: "25", onHand: "25" }),
    ]);
    expect(view.lines).toEqual([
      {
        uom: "ea",
        received: "8",
        consumed: "0",
        onHand: "0",
        shipped: "6",
        scrapped: "0",
        adjustments: "-2",
        unaccounted: "0",
        percentAccountedFor: 75,
      },
      {
        uom: "kg",
        received: "75",
        consumed: "50",
        onHand: "25",
        shipped: "0",
        scrapped: "0",
        adjustments: "0",
        unaccounted: "0",
        percentAccountedFor: 100,
      },
    ]);
    expect(view).toMatchObject({ balanced: true, percentAccountedFor: 75 });
  });

  it("counts a lot named twice once", () => {
    const once = lot("kg", { received: "5", onHand: "5" });
    expect(reconcile([once, once]).lines[0]).toMatchObject({ received: "5", onHand: "5" });
  });

  it("reads 100 % and balanced when nothing was received", () => {
    expect(reconcile([])).toEqual({ lines: [], percentAccountedFor: 100, balanced: true });
    const view = reconcile([lot("kg", {})]);
    expect(view.lines[0]).toMatchObject({ received: "0", unaccounted: "0", percentAccountedFor: 100 });
    expect(view).toMatchObject({ balanced: true, percentAccountedFor: 100 });
  });
});
