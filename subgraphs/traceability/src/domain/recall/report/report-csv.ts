import { writeCsv } from "../../exports/csv.ts";
import type { RecallReport } from "./report-model.ts";

/**
 * The columns of the CSV report: one table, every row typed by `record_type`, so a spreadsheet
 * filters to one kind of row instead of finding sections in one file. A column a kind of row has
 * nothing for is empty. Quantities are the exact decimal strings of the API, not rounded again.
 */
export const REPORT_COLUMNS = [
  "record_type",
  "case_number",
  "metric",
  "value",
  "uom",
  "customer_id",
  "customer_code",
  "customer_name",
  "shipment_count",
  "shipment_references",
  "lot_id",
  "lot_code",
  "material_sku",
  "material_name",
  "depth",
  "fraction",
  "fraction_percent",
  "quantity_of_source",
  "lot_quantity",
  "found_later",
  "received",
  "consumed",
  "on_hand",
  "shipped",
  "scrapped",
  "adjustments",
  "unaccounted",
  "percent_accounted_for",
  "notified_at",
  "acknowledged_at",
  "note",
  "recorded_by",
  "recorded_at",
  "action",
  "description",
] as const;

export type ReportRecordType = "SUMMARY" | "RECONCILIATION" | "CUSTOMER" | "LOT" | "NOTICE" | "ACTION";
type Column = (typeof REPORT_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | boolean | Date | null>>;

/** The report as RFC 4180 CSV with a BOM (csv.ts), formula-safe like every export. */
export function reportCsv(report: RecallReport): string {
  const rows = [...summaryRows(report), ...exposureRows(report), ...followUpRows(report)];
  return writeCsv(
    REPORT_COLUMNS,
    rows.map((row) => REPORT_COLUMNS.map((column) => cell(column === "case_number" ? report.number : row[column]))),
  );
}

function exposureRows(report: RecallReport): Row[] {
  return [
    ...report.reconciliation.map((line): Row => ({
      record_type: "RECONCILIATION",
      uom: line.uom,
      received: line.received,
      consumed: line.consumed,
      on_hand: line.onHand,
      shipped: line.shipped,
      scrapped: line.scrapped,
      adjustments: line.adjustments,
      unaccounted: line.unaccounted,
      percent_accounted_for: line.percentAccountedFor,
    })),
    ...report.customers.map((c): Row => ({
      record_type: "CUSTOMER",
      customer_id: c.customerId,
      customer_code: c.code,
      customer_name: c.name,
      shipment_count: c.shipments.length,
      shipment_references: c.shipments.map((s) => s.reference).join("; "),
      quantity_of_source: c.quantityOfSource,
      uom: c.uom,
    })),
    ...report.lots.map((l): Row => ({
      record_type: "LOT",
      lot_id: l.lotId,
      lot_code: l.code,
      material_sku: l.materialSku,
      material_name: l.materialName,
      depth: l.depth,
      fraction: l.fraction,
      fraction_percent: l.fractionPercent,
      quantity_of_source: l.quantityOfSource,
      lot_quantity: l.quantity,
      uom: l.uom,
      found_later: l.foundLater,
    })),
  ];
}

function followUpRows(report: RecallReport): Row[] {
  return [
    ...report.notices.map((n): Row => ({
      record_type: "NOTICE",
      customer_id: n.customerId,
      customer_name: n.customerName,
      notified_at: n.notifiedAt,
      acknowledged_at: n.acknowledgedAt,
      note: n.note,
      recorded_by: n.recordedByName,
      recorded_at: n.recordedAt,
    })),
    ...report.actions.map((a): Row => ({
      record_type: "ACTION",
      action: a.kind,
      description: a.description,
      customer_id: a.customerId,
      customer_name: a.customerId ? a.subject : null,
      lot_id: a.lotId,
      lot_code: a.lotId ? a.subject : null,
    })),
  ];
}

/** The header and summary as metric/value pairs, in the order the PDF shows them. */
function summaryRows(report: RecallReport): Row[] {
  const { summary, closed } = report;
  const metrics: Array<[string, Row["value"], string?]> = [
    ["kind", report.kind],
    ["status", report.status],
    ["reason", report.reason],
    ["source_kind", report.source.kind],
    ["source", report.source.label],
    ["source_lot_id", report.source.lotId],
    ["opened_by", report.opened.byName],
    ["opened_at", report.opened.at],
    ["closed_by", closed?.byName ?? null],
    ["closed_at", closed?.at ?? null],
    ["close_reason", closed?.reason ?? null],
    ["signed_by", closed?.signature?.signerName ?? null],
    ["signature_meaning", closed?.signature?.meaning ?? null],
    ["signed_at", closed?.signature?.signedAt ?? null],
    ["answered_in_ms", report.answeredInMs],
    ["containment", report.containment.state],
    ["lot_holds", report.containment.lotHolds],
    ["supplier_holds", report.containment.supplierHolds],
    ...summary.sourceQuantity.map((q): [string, string, string] => ["source_quantity", q.quantity, q.uom]),
    ["lots_affected", summary.lotsAffected],
    ["lots_found_later", summary.lotsFoundLater],
    ["finished_lots", summary.finishedLots],
    ["on_hand_lots", summary.onHandLots],
    ["shipments", summary.shipments],
    ["customers", summary.customers],
    ["customers_notified", summary.customersNotified],
    ["customers_acknowledged", summary.customersAcknowledged],
    ["recovery_percent", summary.recoveryPercent],
    ["balanced", summary.balanced],
    ["generated_at", report.generated.at],
    ["generated_by", report.generated.byName],
    ["install", report.generated.install],
  ];
  return metrics.map(([metric, value, uom]) => ({ record_type: "SUMMARY", metric, value, uom: uom ?? null }));
}

/** Dates as ISO 8601 UTC, booleans as true/false, absent as empty. */
function cell(value: Row[Column]): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
