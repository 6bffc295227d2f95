import { describe, expect, it } from "vitest";
import { DomainError } from "@lotgraph/kit";
import { parseFsma204Query, type Fsma204Query } from "./fsma204-request.ts";

const LOT = "6f1c1a52-3b1e-4c55-9a55-0f8f6c4b2a10";
const PRODUCT = "0b7e3d2c-9a4f-4e1b-8c2d-5f6a7b8c9d0e";

/** The parameters a refusal names (BAD_USER_INPUT's `fields`), or the result when there is none. */
function refusal(query: Fsma204Query): string[] {
  try {
    parseFsma204Query(query);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const { code, details, message } = error as DomainError;
    expect(code).toBe("BAD_USER_INPUT");
    const fields = (details.fields as Array<{ field: string }>).map((f) => f.field);
    // The message names them too: the HTTP answer is its text.
    for (const field of fields) expect(message).toContain(`${field}:`);
    return fields;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe("parseFsma204Query: the subject", () => {
  it("takes a lot, DOWNSTREAM unless told, with no range", () => {
    expect(parseFsma204Query({ lotId: LOT })).toEqual({
      subject: { kind: "lot", lotId: LOT, direction: "DOWNSTREAM" },
      range: { from: null, to: null },
    });
    expect(parseFsma204Query({ lotId: LOT, direction: "UPSTREAM" }).subject).toMatchObject({ direction: "UPSTREAM" });
  });

  it("takes a supplier lot code, trimmed, alone or narrowed to a product, with no range needed", () => {
    expect(parseFsma204Query({ supplierLotCode: " SL-7 " }).subject).toEqual({
      kind: "supplierLotCode",
      supplierLotCode: "SL-7",
      productId: null,
    });
    expect(parseFsma204Query({ supplierLotCode: "SL-7", productId: PRODUCT }).subject).toEqual({
      kind: "supplierLotCode",
      supplierLotCode: "SL-7",
      productId: PRODUCT,
    });
  });

  it("takes a product with both ends of its period", () => {
    const request = parseFsma204Query({ productId: PRODUCT, from: "2026-03-01", to: "2026-04-01" });
    const span = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-04-01T00:00:00Z") };
    expect(request).toEqual({ subject: { kind: "product", productId: PRODUCT, span }, range: span });
  });

  it("refuses no subject, two subjects, and a lot with anything else", () => {
    expect(refusal({})).toEqual(["lotId"]);
    expect(refusal({ lotId: " ", supplierLotCode: "" })).toEqual(["lotId"]);
    expect(refusal({ lotId: LOT, supplierLotCode: "SL-7" })).toEqual(["lotId"]);
    expect(refusal({ lotId: LOT, productId: PRODUCT, from: "2026-01-01", to: "2026-02-01" })).toEqual(["lotId"]);
  });

  it("refuses malformed ids and directions, and a direction without a lot", () => {
    expect(refusal({ lotId: "not-a-uuid" })).toEqual(["lotId"]);
    expect(refusal({ productId: "42", from: "2026-01-01", to: "2026-02-01" })).toEqual(["productId"]);
    expect(refusal({ lotId: LOT, direction: "SIDEWAYS" })).toEqual(["direction"]);
    expect(refusal({ supplierLotCode: "SL-7", direction: "UPSTREAM" })).toEqual(["direction"]);
    expect(refusal({ supplierLotCode: "x".repeat(201) })).toEqual(["supplierLotCode"]);
  });

  it("needs both ends of the period for a product alone", () => {
    expect(refusal({ productId: PRODUCT })).toEqual(["from"]);
    expect(refusal({ productId: PRODUCT, from: "2026-01-01" })).toEqual(["to"]);
    expect(refusal({ productId: PRODUCT, to: "2026-01-01" })).toEqual(["from"]);
  });
});

describe("parseFsma204Query: the period", () => {
  const range = (from: string | null, to: string | null) => parseFsma204Query({ lotId: LOT, from, to }).range;

  it("reads a date as midnight UTC, and a date-time in its own time zone", () => {
    expect(range("2026-03-01", null)).toEqual({ from: new Date("2026-03-01T00:00:00.000Z"), to: null });
    // Midnight in Paris in winter is 23:00 UTC the day before; in New York, 05:00 UTC.
    expect(range("2026-03-01T00:00:00+01:00", "2026-03-01T00:00:00-05:00")).toEqual({
      from: new Date("2026-02-28T23:00:00.000Z"),
      to: new Date("2026-03-01T05:00:00.000Z"),
    });
    expect(range(null, "2026-03-01T08:30:00.250Z")).toEqual({ from: null, to: new Date("2026-03-01T08:30:00.250Z") });
  });

  it("refuses what is not ISO 8601, an impossible day, and a date-time without a time zone", () => {
    for (const from of ["yesterday", "01/03/2026", "2026-02-30", "2026-03-01T08:00:00", "2026-03-01T25:00:00Z"])
      expect(refusal({ lotId: LOT, from }), from).toEqual(["from"]);
    expect(refusal({ lotId: LOT, to: "1772323200000" })).toEqual(["to"]);
  });

  it("needs from before to: an empty or backward period is refused", () => {
    expect(refusal({ lotId: LOT, from: "2026-03-01", to: "2026-03-01" })).toEqual(["to"]);
    expect(refusal({ lotId: LOT, from: "2026-03-02", to: "2026-03-01" })).toEqual(["to"]);
    // The same instant written in two zones is still empty.
    expect(refusal({ lotId: LOT, from: "2026-03-01T01:00:00+01:00", to: "2026-03-01T00:00:00Z" })).toEqual(["to"]);
  });

  it("takes at most two years at once", () => {
    const product = (from: string, to: string) => ({ productId: PRODUCT, from, to });
    expect(parseFsma204Query(product("2026-01-01", "2028-01-01")).range.to).toEqual(new Date("2028-01-01"));
    expect(refusal(product("2026-01-01", "2028-01-01T00:00:00.001Z"))).toEqual(["to"]);
    // 29 February two years on is 1 March.
    expect(parseFsma204Query(product("2024-02-29", "2026-03-01")).range.from).toEqual(new Date("2024-02-29"));
    expect(refusal({ supplierLotCode: "SL-7", from: "2020-01-01", to: "2026-01-01" })).toEqual(["to"]);
  });
});
