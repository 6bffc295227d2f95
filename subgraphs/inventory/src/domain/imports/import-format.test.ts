import { DomainError } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import { MAX_IMPORT_BYTES, readImportRows } from "./import-format.ts";
import { checkRow } from "./import-rows.ts";

const NOW = new Date("2026-12-01T00:00:00Z");

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("BAD_USER_INPUT");
    return (error as DomainError).message;
  }
  throw new Error("expected a refusal");
}

describe("reading an import file", () => {
  it("numbers CSV data rows from 1 after the header, with quoted fields and CRLF", () => {
    const csv = 'code,name,kind\r\nS1,"Main, site",site\r\n\r\nS2,"The ""old"" site",SITE\r\n';
    const rows = readImportRows("PARTIES", "CSV", csv);
    expect(rows.map((r) => [r.row, r.values["name"]])).toEqual([
      [1, "Main, site"],
      [2, 'The "old" site'],
    ]);
  });

  it("refuses a header with an unknown or a missing column, naming it", () => {
    expect(refusal(() => readImportRows("PARTIES", "CSV", "code,name,knd\nA,B,SUPPLIER"))).toMatch(
      /unknown column "knd"/,
    );
    expect(refusal(() => readImportRows("PARTIES", "CSV", "code,name\nA,B"))).toMatch(/lacks "kind"/);
  });

  it("refuses what is not CSV or JSON, an empty file and one over the limits", () => {
    expect(refusal(() => readImportRows("PARTIES", "CSV", 'code,name,kind\nA,"B,SUPPLIER'))).toMatch(/not valid CSV/);
    expect(refusal(() => readImportRows("PARTIES", "JSON", "[{"))).toMatch(/not valid JSON/);
    expect(refusal(() => readImportRows("PARTIES", "JSON", '{"code":"A"}'))).toMatch(/array of objects/);
    expect(refusal(() => readImportRows("PARTIES", "CSV", "code,name,kind\n"))).toMatch(/no data rows/);
    const huge = "code,name,kind\n" + "A,B,SUPPLIER\n".repeat(Math.ceil(MAX_IMPORT_BYTES / 13) + 1);
    expect(refusal(() => readImportRows("PARTIES", "CSV", huge))).toMatch(/at most \d+ are accepted/);
  });

  it("keeps a CSV record of the wrong width and a JSON element that is not an object as row problems", () => {
    const [short] = readImportRows("PARTIES", "CSV", "code,name,kind\nA,B");
    expect(short!.problems).toEqual([
      { row: 1, column: null, code: "BAD_USER_INPUT", message: "has 2 fields; the header has 3" },
    ]);
    const rows = readImportRows("PARTIES", "JSON", '[7, {"code": "A", "name": "B", "kind": "SUPPLIER", "extra": 1}]');
    expect(rows[0]!.problems[0]).toMatchObject({ row: 1, column: null, message: "is not an object" });
    expect(rows[1]!.problems[0]).toMatchObject({ row: 2, column: "extra" });
  });
});

describe("checking one row", () => {
  const stock = (values: Record<string, string | null>) =>
    checkRow(
      "OPENING_STOCK",
      { row: 4, values: { sku: "S", locationCode: "L", lotCode: "LOT-1", quantity: "12.5", ...values }, problems: [] },
      NOW,
    );

  it("accepts a valid opening-stock row with the receiveLot rules", () => {
    const checked = stock({ expiresAt: "2027-06-30", supplierCode: null });
    expect(checked.ok && checked.value.quantity.toFixed()).toBe("12.5");
    expect(checked.ok && checked.value.expiresAt?.toISOString()).toBe("2027-06-30T00:00:00.000Z");
  });

  it("names the row and the column of each fault", () => {
    const errorsOf = (values: Record<string, string | null>) => {
      const checked = stock(values);
      return checked.ok ? [] : checked.errors.map((e) => [e.row, e.column, e.message]);
    };
    expect(errorsOf({ quantity: "-3" })).toEqual([[4, "quantity", "quantity must be greater than zero"]]);
    expect(errorsOf({ quantity: null })).toEqual([[4, "quantity", "required"]]);
    expect(errorsOf({ expiresAt: "2027-02-30" })).toEqual([
      [4, "expiresAt", 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with time zone, got "2027-02-30"'],
    ]);
    expect(errorsOf({ expiresAt: "2026-01-01" })[0]?.[2]).toMatch(/expired material is not received/);
    expect(errorsOf({ lotCode: "has space" })).toEqual([[4, "lotCode", "letters, digits and . _ - / only"]]);
  });

  it("reads enum values whatever their case, and inspectionRequired as true or false", () => {
    const material = (inspectionRequired: string | null) =>
      checkRow(
        "MATERIALS",
        {
          row: 1,
          values: { sku: "M", name: "Flour", uom: "kg", kind: "raw", tracking: "Lot", inspectionRequired },
          problems: [],
        },
        NOW,
      );
    expect(material(null)).toMatchObject({
      ok: true,
      value: { kind: "RAW", tracking: "LOT", inspectionRequired: false },
    });
    expect(material("TRUE")).toMatchObject({ ok: true, value: { inspectionRequired: true } });
    expect(material("yes")).toMatchObject({ ok: false, errors: [{ column: "inspectionRequired" }] });
  });
});
