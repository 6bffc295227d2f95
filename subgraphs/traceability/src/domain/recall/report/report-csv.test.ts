import { parseCsv } from "@lotgraph/tests/support/csv";
import { describe, expect, it } from "vitest";
import { REPORT_COLUMNS, reportCsv } from "./report-csv.ts";
import { drillFacts, largeFacts, recallFacts } from "./report-fixtures.ts";
import { recallReport } from "./report-model.ts";

/** The CSV's records as objects keyed by column, after checking the BOM and the header. */
function records(csv: string): Array<Record<string, string>> {
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const [header, ...rows] = parseCsv(csv.slice(1));
  expect(header).toEqual([...REPORT_COLUMNS]);
  expect(rows.filter((row) => row.length !== REPORT_COLUMNS.length)).toEqual([]);
  return rows.map((row) => Object.fromEntries(REPORT_COLUMNS.map((column, i) => [column, row[i]!])));
}

describe("reportCsv", () => {
  it("is one table of typed rows: summary metrics, reconciliation, customers and lots", () => {
    const rows = records(reportCsv(recallReport(drillFacts())));
    expect(new Set(rows.map((r) => r.case_number))).toEqual(new Set(["DRILL-2026-0001"]));
    expect([...new Set(rows.map((r) => r.record_type))]).toEqual(["SUMMARY", "RECONCILIATION", "CUSTOMER", "LOT"]);
    const summary = Object.fromEntries(rows.filter((r) => r.record_type === "SUMMARY").map((r) => [r.metric, r.value]));
    expect(summary).toMatchObject({
      kind: "DRILL",
      status: "OPEN",
      source_kind: "SUPPLIER_LOT_CODE",
      source: "SL-1",
      opened_by: "Rhea Recall",
      opened_at: "2026-03-04T08:00:00.000Z",
      closed_at: "",
      answered_in_ms: "1234",
      containment: "NONE",
      lots_affected: "2",
      customers: "2",
      recovery_percent: "100",
      balanced: "true",
      generated_at: "2026-03-04T09:05:01.000Z",
      install: "plant-1",
    });
    expect(rows.find((r) => r.metric === "source_quantity")).toMatchObject({ value: "30.000000", uom: "kg" });
    expect(rows.filter((r) => r.record_type === "RECONCILIATION")).toEqual([
      expect.objectContaining({
        uom: "kg",
        received: "30",
        consumed: "30",
        unaccounted: "0",
        percent_accounted_for: "100",
      }),
    ]);
    const customers = rows.filter((r) => r.record_type === "CUSTOMER");
    expect(
      customers.map((c) => [
        c.customer_name,
        c.customer_code,
        c.shipment_count,
        c.shipment_references,
        c.quantity_of_source,
      ]),
    ).toEqual([
      ["Corner Shop, Ltd", "SHOP", "1", "SO-1001", "12.000000"],
      // Names keep every character (UTF-8); a reference that a spreadsheet would run is defused.
      ["Café Łódź", "CAFE", "1", "'=SO-1002", "6.000000"],
    ]);
    expect(
      rows
        .filter((r) => r.record_type === "LOT")
        .map((l) => [
          l.lot_code,
          l.material_name,
          l.depth,
          l.fraction,
          l.fraction_percent,
          l.quantity_of_source,
          l.lot_quantity,
          l.uom,
          l.found_later,
        ]),
    ).toEqual([
      ["FL-1", "Wheat flour T55", "0", "1.000000", "100.0000", "30.000000", "30.000000", "kg", "false"],
      ["CK-1", "Butter cookie", "1", "0.300000", "30.0000", "30.000000", "100.000000", "kg", "false"],
    ]);
  });

  it("adds a real recall's notices and open actions", () => {
    const rows = records(reportCsv(recallReport(recallFacts())));
    expect(rows.find((r) => r.metric === "customers_notified")?.value).toBe("1");
    expect(rows.filter((r) => r.record_type === "NOTICE")).toEqual([
      expect.objectContaining({
        customer_name: "Corner Shop, Ltd",
        notified_at: "2026-03-04T08:30:00.000Z",
        acknowledged_at: "2026-03-04T08:45:00.000Z",
        note: 'phoned the buyer, "hold and return"',
        recorded_by: "Rhea Recall",
      }),
    ]);
    expect(rows.filter((r) => r.record_type === "ACTION").map((a) => [a.action, a.customer_name, a.lot_code])).toEqual([
      ["NOTIFY_CUSTOMER", "Café Łódź", ""],
      ["RECOVER_ON_HAND", "", "CK-1"],
    ]);
  });

  it("lists every lot of a large case", () => {
    const rows = records(reportCsv(recallReport(largeFacts(10_000))));
    expect(rows.filter((r) => r.record_type === "LOT")).toHaveLength(10_000);
  });
});
