import { describe, expect, it } from "vitest";
import { InconsistentTraceFactsError } from "../../src/domain/exports/facts.ts";
import { buildFsma204Rows, FSMA204_COLUMNS, toCsv, type Fsma204Row } from "../../src/domain/exports/fsma204.ts";
import { bakeryFacts } from "./bakery-facts.ts";
import { parseCsv } from "@lotgraph/tests/support/csv";

const HEADER = FSMA204_COLUMNS.map(([, heading]) => heading);
const asRecord = (row: Fsma204Row): string[] => FSMA204_COLUMNS.map(([key]) => row[key]);

describe("buildFsma204Rows", () => {
  it("has one row per critical tracking event, sorted by date then traceability lot code", () => {
    const rows = buildFsma204Rows(bakeryFacts());
    expect(rows.map((r) => [r.eventDate, r.traceabilityLotCode, r.eventType])).toEqual([
      // Same day: the supplier's TLC "SL-4471" sorts after our "S-0302", though received first.
      ["2026-03-02", "S-0302", "Receiving"],
      ["2026-03-02", "SL-4471", "Receiving"],
      ["2026-03-03", "D-0303", "Transformation"],
      ["2026-03-04", "C-0304-A", "Transformation"],
      ["2026-03-04", "C-0304-B", "Transformation"],
      ["2026-03-05", "C-0304-A", "Shipping"],
      ["2026-03-05", "C-0304-B", "Shipping"],
    ]);
  });

  it("keeps the supplier's TLC for a received lot, and says where each TLC was assigned", () => {
    const rows = buildFsma204Rows(bakeryFacts());
    const byKey = (type: string, lot: string) => rows.find((r) => r.eventType === type && r.internalLotCode === lot);
    expect(byKey("Receiving", "F-0301")).toMatchObject({
      traceabilityLotCode: "SL-4471",
      traceabilityLotCodeSource: "Molino Peña S.A. (SUP-1)",
      productDescription: "Wheat flour, type 550 (RM-FLOUR)",
      quantity: "250.000",
      unitOfMeasure: "kg",
      location: "Receiving dock, Plant Fresno (DOCK-1)",
      immediatePreviousSource: "Molino Peña S.A. (SUP-1)",
      referenceDocumentType: "Receiving record",
      referenceDocumentNumber: "rcv-1001",
    });
    // No supplier lot code: we assigned the TLC at our dock.
    expect(byKey("Receiving", "S-0302")).toMatchObject({
      traceabilityLotCode: "S-0302",
      traceabilityLotCodeSource: "Receiving dock, Plant Fresno (DOCK-1)",
    });
    expect(byKey("Transformation", "D-0303")).toMatchObject({
      traceabilityLotCodeSource: "Mixing line (LINE-1)",
      quantity: "318.75",
      inputTraceabilityLotCodes: "SL-4471; S-0302",
      inputDetails: "SL-4471: Wheat flour, type 550 (RM-FLOUR), 250 kg; S-0302: Cane sugar (RM-SUGAR), 70.25 kg",
      referenceDocumentType: "Production run",
      referenceDocumentNumber: "run-1",
    });
    expect(byKey("Shipping", "C-0304-B")).toMatchObject({
      traceabilityLotCodeSource: "Oven & packing line (LINE-2)",
      productDescription: 'Choc-chip cookies, "family" pack (FG-COOKIE)',
      quantity: "600",
      unitOfMeasure: "ea",
      shipFromLocation: "Finished goods warehouse (WH-1)",
      shipToLocation: "Grocer, Inc. (CUS-1)",
      referenceDocumentType: "Bill of lading",
      referenceDocumentNumber: "BOL-2026-0042",
    });
  });

  it("dates events in UTC", () => {
    const facts = bakeryFacts();
    const sugar = facts.receipts[1];
    if (sugar !== undefined) sugar.at = "2026-03-02T21:30:00-05:00";
    const row = buildFsma204Rows(facts).find((r) => r.referenceDocumentNumber === "rcv-1002");
    expect(row).toMatchObject({ eventDate: "2026-03-03", eventTime: "2026-03-03T02:30:00.000Z" });
  });

  it("refuses facts that name a lot the trace does not hold", () => {
    const facts = bakeryFacts();
    facts.lots = facts.lots.filter((lot) => lot.id !== "lot-dough");
    expect(() => buildFsma204Rows(facts)).toThrow(InconsistentTraceFactsError);
  });
});

describe("toCsv", () => {
  it("writes a UTF-8 BOM, a header and one CRLF-terminated record per row, and reads back the same", () => {
    const rows = buildFsma204Rows(bakeryFacts());
    const csv = toCsv(rows);
    expect(csv.startsWith("\uFEFFEvent Type,Event Date,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    // Every line break is CRLF; none of our values holds a bare LF or CR.
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(parseCsv(csv.slice(1))).toEqual([HEADER, ...rows.map(asRecord)]);
  });

  it("quotes fields with commas and quotes, doubling the quotes", () => {
    const csv = toCsv(buildFsma204Rows(bakeryFacts()));
    expect(csv).toContain(',"Choc-chip cookies, ""family"" pack (FG-COOKIE)",');
    expect(csv).toContain(',"Grocer, Inc. (CUS-1)",');
    // Plain fields stay bare.
    expect(csv).toContain(",BOL-2026-0042\r\n");
  });

  it("round-trips line breaks inside a field and keeps non-ASCII text", () => {
    const facts = bakeryFacts();
    const sugar = facts.materials?.[1];
    if (sugar !== undefined) sugar.name = "Cane sugar\r\norganic, Jalapeño-free";
    const rows = buildFsma204Rows(facts);
    const csv = toCsv(rows);
    expect(parseCsv(csv.slice(1))).toEqual([HEADER, ...rows.map(asRecord)]);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toContain("Molino Peña");
  });

  it("neutralises text a spreadsheet would run as a formula, but not numbers", () => {
    const facts = bakeryFacts();
    const flour = facts.lots[0];
    if (flour !== undefined) flour.supplierLotCode = '=HYPERLINK("http://evil.example","x")';
    const csv = toCsv(buildFsma204Rows(facts));
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(csv).not.toMatch(/,"?=HYPERLINK/);
  });

  it("writes just the header for an empty trace", () => {
    expect(toCsv([])).toBe(`\uFEFF${HEADER.join(",")}\r\n`);
  });
});
