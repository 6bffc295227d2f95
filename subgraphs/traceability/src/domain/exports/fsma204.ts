import type { TraceLotFacts } from "./facts.ts";
import { FactsIndex } from "./facts-index.ts";
import { CRLF, UTF8_BOM, csvField, writeCsv } from "./csv.ts";
import { receivingRows, shippingRows, transformationRows } from "./fsma204-events.ts";

export type Fsma204EventType = "Receiving" | "Transformation" | "Shipping";

/**
 * One Critical Tracking Event of FSMA 204 (21 CFR 1 subpart S) with its Key Data Elements, one row
 * of the FDA's "electronic sortable spreadsheet". Empty string = not applicable or not known.
 */
export interface Fsma204Row {
  eventType: Fsma204EventType;
  /** ISO date (UTC) of the event. */
  eventDate: string;
  /** ISO instant (UTC), so same-day events still sort in the order they happened. */
  eventTime: string;
  /** The supplier's lot code for a received lot (FSMA: keep the TLC you received), else ours. */
  traceabilityLotCode: string;
  /** Where the TLC was assigned: the supplier, or the receiving location, or the plant location of the run. */
  traceabilityLotCodeSource: string;
  /** Our lot code, to find the lot in Lotgraph when the TLC is the supplier's. */
  internalLotCode: string;
  productDescription: string;
  /** Exact decimal as recorded. */
  quantity: string;
  unitOfMeasure: string;
  /** Where the event happened. */
  location: string;
  immediatePreviousSource: string;
  shipFromLocation: string;
  shipToLocation: string;
  /** Transformation only: the TLCs of every input lot, `; `-separated. */
  inputTraceabilityLotCodes: string;
  /** Transformation only: `TLC: product, quantity unit` for every input, `; `-separated. */
  inputDetails: string;
  referenceDocumentType: string;
  referenceDocumentNumber: string;
}

/** Column order and headings of the spreadsheet. */
export const FSMA204_COLUMNS: ReadonlyArray<readonly [keyof Fsma204Row, string]> = [
  ["eventType", "Event Type"],
  ["eventDate", "Event Date"],
  ["eventTime", "Event Time (UTC)"],
  ["traceabilityLotCode", "Traceability Lot Code"],
  ["traceabilityLotCodeSource", "Traceability Lot Code Source"],
  ["internalLotCode", "Internal Lot Code"],
  ["productDescription", "Product Description"],
  ["quantity", "Quantity"],
  ["unitOfMeasure", "Unit of Measure"],
  ["location", "Location"],
  ["immediatePreviousSource", "Immediate Previous Source"],
  ["shipFromLocation", "Ship-From Location"],
  ["shipToLocation", "Ship-To Location"],
  ["inputTraceabilityLotCodes", "Input Traceability Lot Codes"],
  ["inputDetails", "Input Details"],
  ["referenceDocumentType", "Reference Document Type"],
  ["referenceDocumentNumber", "Reference Document Number"],
];

const EVENT_ORDER: Readonly<Record<Fsma204EventType, number>> = { Receiving: 0, Transformation: 1, Shipping: 2 };

/**
 * One row per Critical Tracking Event of the facts: a receipt, an output lot of a run (with its
 * inputs), a shipment line. Serial assembly is not a food CTE and is left out. Sorted by date, then
 * traceability lot code, then time.
 *
 * @throws InconsistentTraceFactsError when an event names a lot missing from `facts.lots`.
 */
export function buildFsma204Rows(facts: TraceLotFacts): Fsma204Row[] {
  const index = new FactsIndex(facts);
  const context = { index, tlcSources: tlcSourcesByLot(facts, index) };
  const rows = [
    ...receivingRows(facts.receipts, context),
    ...transformationRows(facts.transformations, context),
    ...shippingRows(facts.shipments, context),
  ];
  return rows.sort(
    (a, b) =>
      compare(a.eventDate, b.eventDate) ||
      compare(a.traceabilityLotCode, b.traceabilityLotCode) ||
      compare(a.eventTime, b.eventTime) ||
      EVENT_ORDER[a.eventType] - EVENT_ORDER[b.eventType] ||
      compare(a.referenceDocumentNumber, b.referenceDocumentNumber) ||
      compare(a.internalLotCode, b.internalLotCode),
  );
}

/** The spreadsheet as RFC 4180 CSV with a header row (see csv.ts for BOM and quoting). */
export function toCsv(rows: readonly Fsma204Row[]): string {
  return writeCsv(
    FSMA204_COLUMNS.map(([, heading]) => heading),
    rows.map(record),
  );
}

/** The start of a spreadsheet sent in pieces: the BOM and the header row, as `toCsv` writes them. */
export function csvHeaderLine(): string {
  return UTF8_BOM + csvLine(FSMA204_COLUMNS.map(([, heading]) => heading));
}

/** Rows as `toCsv` writes them after its header, for a spreadsheet sent in pieces. */
export function csvRowLines(rows: readonly Fsma204Row[]): string {
  return rows.map((row) => csvLine(record(row))).join("");
}

const record = (row: Fsma204Row): string[] => FSMA204_COLUMNS.map(([key]) => row[key]);
const csvLine = (fields: readonly string[]): string => fields.map(csvField).join(",") + CRLF;

/**
 * Where each lot's TLC was assigned, from how the lot came to be: received or made by a run. The
 * lot's own `origin` tells when its receipt or run is not among the events; the event tells alike.
 */
function tlcSourcesByLot(facts: TraceLotFacts, index: FactsIndex): Map<string, string> {
  const sources = new Map<string, string>();
  for (const lot of facts.lots) {
    if (lot.origin === undefined) continue;
    const { supplierId, locationId } = lot.origin;
    sources.set(
      lot.id,
      lot.supplierLotCode !== null && supplierId !== null
        ? index.partyDescription(supplierId)
        : index.locationDescription(locationId),
    );
  }
  for (const receipt of facts.receipts) {
    const lot = index.lot(receipt.lotId);
    sources.set(
      lot.id,
      lot.supplierLotCode !== null && receipt.supplierId !== null
        ? index.partyDescription(receipt.supplierId)
        : index.locationDescription(receipt.locationId),
    );
  }
  for (const run of facts.transformations) {
    for (const output of run.outputs) sources.set(output.lotId, index.locationDescription(run.locationId));
  }
  return sources;
}

/** Code-point order, so the result does not depend on the host's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
