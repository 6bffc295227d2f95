import type { TraceFacts } from "./facts.ts";
import { FactsIndex, utcInstant } from "./facts-index.ts";
import { EpcisIdentifiers } from "./identifiers.ts";
import { buildMasterData } from "./epcis-master-data.ts";
import { rec20Unit } from "./uom.ts";
import {
  EPCIS_CONTEXT,
  type EpcisAggregationEvent,
  type EpcisDocument,
  type EpcisEvent,
  type EpcisObjectEvent,
  type EpcisQuantityElement,
  type EpcisTransformationEvent,
} from "./epcis-types.ts";

export interface EpcisOptions {
  /** The document's `creationDate`; passed in so a build is a pure function of its inputs. */
  creationDate: Date;
  /** Base of our non-GS1 HTTP identifiers (see identifiers.ts). */
  identifierBase?: string;
}

export const DEFAULT_IDENTIFIER_BASE = "https://id.lotgraph.local";

/** All times are written in UTC (`toISOString`), so every offset is zero. */
const UTC_OFFSET = "+00:00";

/**
 * A GS1 EPCIS 2.0 JSON-LD document for one trace: an ObjectEvent (ADD, receiving) per receipt, a
 * TransformationEvent per production run, an ObjectEvent (OBSERVE, shipping) per shipment and an
 * AggregationEvent per serial installation or removal, ordered by event time. Deterministic: the
 * same facts and options give the same JSON, event ids included.
 *
 * @throws InconsistentTraceFactsError when an event names a lot missing from `facts.lots`.
 */
export function buildEpcisDocument(facts: TraceFacts, options: EpcisOptions): EpcisDocument {
  const ids = new EpcisIdentifiers(options.identifierBase ?? DEFAULT_IDENTIFIER_BASE);
  const index = new FactsIndex(facts);
  const events: SortableEvent[] = [];
  const quantity = (lotId: string, amount: string, uom: string): EpcisQuantityElement => {
    const lot = index.lot(lotId);
    return quantityElement(ids.lotClass(lot.materialId, lot.code), amount, uom);
  };

  for (const receipt of facts.receipts) {
    const lot = index.lot(receipt.lotId);
    const event: EpcisObjectEvent = {
      type: "ObjectEvent",
      ...when(ids.eventId(`receipt:${receipt.eventId}`), receipt.at),
      // ADD, not OBSERVE: the lot-level identifier is ours and comes into being at receipt, and
      // only ADD may carry ILMD, where the supplier's lot code belongs.
      action: "ADD",
      bizStep: "receiving",
      disposition: "in_progress",
      quantityList: [quantity(receipt.lotId, receipt.quantity, receipt.uom)],
      ...where(ids, receipt.locationId),
      ...(receipt.supplierId === null
        ? {}
        : { sourceList: [{ type: "owning_party" as const, source: ids.party(receipt.supplierId) }] }),
      ilmd: {
        "cbvmda:lotNumber": lot.code,
        ...(lot.supplierLotCode === null ? {} : { "lotgraph:supplierLotCode": lot.supplierLotCode }),
      },
    };
    events.push({ order: 0, event });
  }

  for (const run of facts.transformations) {
    // An event with neither inputs nor outputs says nothing, and the schema rejects it.
    if (run.inputs.length === 0 && run.outputs.length === 0) continue;
    const event: EpcisTransformationEvent = {
      type: "TransformationEvent",
      ...when(ids.eventId(`run:${run.runId}`), run.at),
      // Ties together the events of one run, and lets a run with only inputs so far be valid.
      transformationID: ids.run(run.runId),
      ...(run.inputs.length === 0
        ? {}
        : { inputQuantityList: run.inputs.map((l) => quantity(l.lotId, l.quantity, l.uom)) }),
      ...(run.outputs.length === 0
        ? {}
        : { outputQuantityList: run.outputs.map((l) => quantity(l.lotId, l.quantity, l.uom)) }),
      // CBV 2.0 has no "transforming" step; commissioning/active is what GS1's own example uses
      // for new lots made from inputs.
      bizStep: "commissioning",
      disposition: "active",
      ...where(ids, run.locationId ?? null),
    };
    events.push({ order: 1, event });
  }

  for (const shipment of facts.shipments) {
    if (shipment.lines.length === 0) continue;
    const event: EpcisObjectEvent = {
      type: "ObjectEvent",
      ...when(ids.eventId(`shipment:${shipment.shipmentId}`), shipment.at),
      action: "OBSERVE",
      bizStep: "shipping",
      disposition: "in_transit",
      quantityList: shipment.lines.map((l) => quantity(l.lotId, l.quantity, l.uom)),
      ...where(ids, shipment.fromLocationId ?? null),
      bizTransactionList: [{ type: "bol", bizTransaction: ids.billOfLading(shipment.reference) }],
      ...(shipment.fromLocationId === undefined || shipment.fromLocationId === null
        ? {}
        : { sourceList: [{ type: "location" as const, source: ids.location(shipment.fromLocationId) }] }),
      destinationList: [{ type: "owning_party", destination: ids.party(shipment.customerId) }],
    };
    events.push({ order: 2, event });
  }

  for (const link of facts.aggregations) {
    const child = aggregationChild(ids, index, link.childSerialId, link.childLotId);
    // The schema lets only DELETE omit the children (it then means "all of them").
    if (child === null && link.action === "ADD") continue;
    const event: EpcisAggregationEvent = {
      type: "AggregationEvent",
      ...when(ids.eventId(`installation:${link.installationId}:${link.action}`), link.at),
      action: link.action,
      parentID: ids.serial(link.parentSerialId),
      ...child,
      // Components going into and out of an assembly (as-built), not packing into a container.
      bizStep: link.action === "ADD" ? "installing" : "removing",
    };
    events.push({ order: 3, event });
  }

  events.sort(
    (a, b) =>
      Date.parse(a.event.eventTime) - Date.parse(b.event.eventTime) ||
      a.order - b.order ||
      compare(a.event.eventID, b.event.eventID),
  );

  const masterData = buildMasterData(ids, index);
  return {
    "@context": [EPCIS_CONTEXT, { lotgraph: ids.vocabulary() }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: options.creationDate.toISOString(),
    ...(masterData.length === 0 ? {} : { epcisHeader: { epcisMasterData: { vocabularyList: masterData } } }),
    epcisBody: { eventList: events.map((e) => e.event) },
  };
}

interface SortableEvent {
  /** Receipts, runs, shipments, installations: the order that reads naturally when times tie. */
  order: number;
  event: EpcisEvent;
}

function when(eventID: string, at: string): { eventID: string; eventTime: string; eventTimeZoneOffset: string } {
  return { eventID, eventTime: utcInstant(at).toISOString(), eventTimeZoneOffset: UTC_OFFSET };
}

function where(
  ids: EpcisIdentifiers,
  locationId: string | null,
): { readPoint?: { id: string }; bizLocation?: { id: string } } {
  if (locationId === null) return {};
  const id = ids.location(locationId);
  return { readPoint: { id }, bizLocation: { id } };
}

/**
 * A quantity element for a lot. EPCIS wants a JSON number: a decimal string beyond double precision
 * loses digits here (the FSMA spreadsheet keeps the exact string). An unknown unit drops the
 * quantity but keeps the lot (see rec20Unit).
 */
function quantityElement(epcClass: string, amount: string, unit: string): EpcisQuantityElement {
  const value = Number(amount);
  const rec20 = rec20Unit(unit);
  if (rec20 === null || !Number.isFinite(value)) return { epcClass };
  return rec20.uom === undefined ? { epcClass, quantity: value } : { epcClass, quantity: value, uom: rec20.uom };
}

function aggregationChild(
  ids: EpcisIdentifiers,
  index: FactsIndex,
  childSerialId: string | null,
  childLotId: string | null,
): Pick<EpcisAggregationEvent, "childEPCs" | "childQuantityList"> | null {
  if (childSerialId !== null) return { childEPCs: [ids.serial(childSerialId)] };
  if (childLotId === null) return null;
  // A lot-tracked component: the class without a quantity, since installation facts carry none.
  const lot = index.lot(childLotId);
  return { childQuantityList: [{ epcClass: ids.lotClass(lot.materialId, lot.code) }] };
}

/** Code-point order, so the result does not depend on the host's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
