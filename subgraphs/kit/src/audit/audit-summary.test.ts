import { describe, expect, it } from "vitest";
import { summarizeAudit } from "./audit-summary.ts";

describe("audit summaries", () => {
  it("names the action, what changed and why", () => {
    expect(
      summarizeAudit({
        action: "lot.held",
        reason: "hold 42: supplier reports contamination",
        before: { status: "AVAILABLE", quantity: "10", locationId: "bin" },
        after: { status: "ON_HOLD", quantity: "10", locationId: "bin", holdId: "42", via: null },
      }),
    ).toBe("lot.held · status AVAILABLE → ON_HOLD · hold 42: supplier reports contamination");
  });

  it("lists the values of a creation, a few at most, and leaves nested ones to the entry", () => {
    expect(
      summarizeAudit({
        action: "lot.received",
        reason: null,
        before: null,
        after: { code: "L-1", quantity: "5", status: "AVAILABLE", uom: "kg", supplierLotCode: "SL-1", serials: ["a"] },
      }),
    ).toBe("lot.received · code L-1, quantity 5, status AVAILABLE, uom kg");
  });
});
