/**
 * The facts an export is built from: everything a trace reached, flattened into plain records.
 * The traceability projection gathers them (one trace, one direction); the builders in this folder
 * are pure functions of them, so the same facts always give the same document or spreadsheet.
 *
 * Quantities are decimal strings (DESIGN.md §4.2) and times ISO 8601 strings, exactly as stored.
 */

/** A lot the trace reached. */
export interface LotFact {
  id: string;
  /** Our lot code (unique per material); becomes the lot part of the EPCIS class identifier. */
  code: string;
  materialId: string;
  uom: string;
  /** The supplier's lot code for a received lot: FSMA 204's traceability lot code for it. */
  supplierLotCode: string | null;
  createdAt: string;
  /**
   * Optional: where the lot came to be, for an export that shows a lot's later events without its
   * receipt or run (a product's events in a date range): the supplier and receiving location of a
   * received lot, or the place of the run that made it. FSMA 204's TLC source comes from it.
   */
  origin?: { supplierId: string | null; locationId: string | null };
}

/** A material, to describe products by name instead of by id (optional master data). */
export interface MaterialFact {
  id: string;
  sku: string;
  name: string;
}

/** A location or a party, to describe places and trading partners by name (optional master data). */
export interface NamedFact {
  id: string;
  code: string;
  name: string;
}

/** An input or output line of a run, or a line of a shipment. */
export interface LotQuantityFact {
  lotId: string;
  quantity: string;
  uom: string;
}

/**
 * The facts of one trace. The required fields are the contract with the projection; the optional
 * ones only enrich the exports (names instead of ids, where a run happened, where a shipment left).
 */
export interface TraceFacts {
  direction: "UPSTREAM" | "DOWNSTREAM";
  rootLotId: string;
  lots: LotFact[];
  /** Lots received from suppliers (inventory's `receiveLot`). */
  receipts: Array<{
    eventId: string;
    lotId: string;
    quantity: string;
    uom: string;
    at: string;
    locationId: string | null;
    supplierId: string | null;
  }>;
  /** Production runs: every input lot is a parent of every output lot (DESIGN.md §4.4). */
  transformations: Array<{
    runId: string;
    at: string;
    inputs: LotQuantityFact[];
    outputs: LotQuantityFact[];
    /** Optional: the line or site the run happened at; FSMA's location and TLC source for its outputs. */
    locationId?: string | null;
  }>;
  shipments: Array<{
    shipmentId: string;
    reference: string;
    customerId: string;
    at: string;
    lines: LotQuantityFact[];
    /** Optional: the location the goods left from (FSMA's ship-from location). */
    fromLocationId?: string | null;
  }>;
  /** Serial assembly: a component serial (or lot) installed into or removed from a parent serial. */
  aggregations: Array<{
    installationId: string;
    parentSerialId: string;
    childSerialId: string | null;
    childLotId: string | null;
    at: string;
    action: "ADD" | "DELETE";
  }>;
  /** Optional master data: material names and SKUs (product descriptions). */
  materials?: MaterialFact[];
  /** Optional master data: location codes and names. */
  locations?: NamedFact[];
  /** Optional master data: supplier and customer codes and names. */
  parties?: NamedFact[];
}

/** The facts of a set of lots and their events, without a trace's root and direction. */
export type TraceLotFacts = Omit<TraceFacts, "direction" | "rootLotId">;

/** Facts that contradict themselves (an event naming a lot the trace did not include). */
export class InconsistentTraceFactsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InconsistentTraceFactsError";
  }
}
