import { Quantity } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import { isExpired, requireOnHand, requireUsable, statusAfter } from "./lot-rules.ts";
import type { LotRecord } from "./records.ts";

const lot = (overrides: Partial<LotRecord> = {}): LotRecord => ({
  id: "lot-1",
  code: "L-1",
  materialId: "m-1",
  quantity: "5",
  uom: "kg",
  status: "AVAILABLE",
  locationId: null,
  supplierId: null,
  supplierLotCode: null,
  expiresAt: null,
  releasePending: [],
  externalRef: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...overrides,
});

describe("lot rules", () => {
  const now = new Date("2026-11-22T08:00:00.000Z");

  it("counts a lot as expired from the instant of its expiry on", () => {
    expect(isExpired(lot({ expiresAt: new Date(now.getTime() + 1) }), now)).toBe(false);
    expect(isExpired(lot({ expiresAt: now }), now)).toBe(true);
    expect(() => requireUsable(lot({ expiresAt: now }), now)).toThrow(
      expect.objectContaining({ code: "LOT_UNAVAILABLE" }),
    );
  });

  it("refuses every status but AVAILABLE for use, with the status in the details", () => {
    for (const status of ["QUARANTINE", "ON_HOLD", "CONSUMED", "SHIPPED", "SCRAPPED"] as const) {
      expect(() => requireUsable(lot({ status }), now)).toThrow(
        expect.objectContaining({ code: "LOT_UNAVAILABLE", details: expect.objectContaining({ status }) }),
      );
    }
  });

  it("allows taking exactly what is on hand, not a millionth more", () => {
    expect(() => requireOnHand(lot(), Quantity.of("5"))).not.toThrow();
    expect(() => requireOnHand(lot(), Quantity.of("5.000001"))).toThrow(
      expect.objectContaining({ code: "INSUFFICIENT_QUANTITY" }),
    );
  });

  it("closes a lot emptied by consumption, shipment or scrap, but not by an adjustment", () => {
    const zero = Quantity.of(0);
    expect(statusAfter(lot(), "CONSUMPTION", zero)).toBe("CONSUMED");
    expect(statusAfter(lot(), "SHIPMENT", zero)).toBe("SHIPPED");
    expect(statusAfter(lot({ status: "ON_HOLD" }), "SCRAP", zero)).toBe("SCRAPPED");
    expect(statusAfter(lot(), "ADJUSTMENT", zero)).toBe("AVAILABLE");
    expect(statusAfter(lot(), "CONSUMPTION", Quantity.of(1))).toBe("AVAILABLE");
  });
});
