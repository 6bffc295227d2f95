import { Quantity } from "@lotgraph/kit";
import type { TraceFacts } from "./facts.ts";
import { utcInstant, type FactsIndex } from "./facts-index.ts";
import type { EpcisIdentifiers } from "./identifiers.ts";
import { rec20Unit } from "./uom.ts";
import type {
  EpcisAggregationEvent,
  EpcisObjectEvent,
  EpcisQuantityElement,
  EpcisTransformationEvent,
} from "./epcis-types.ts";

/** The EPCIS events of each kind of trace fact (epcis.ts puts them in one document, in time order). */

/** What every builder names things with: our identifiers, and the trace's lots by id. */
export interface EpcisEventContext {
  ids: EpcisIdentifiers;
  index: FactsIndex;
}

/** All times are written in UTC (`toISOString`), so every offset is zero. */
const UTC_OFFSET = "+00:00";

/** An ObjectEvent (ADD, receiving) per receipt. */
export function receiptEvents(receipts: TraceFacts["receipts"], { ids, index }: EpcisEventContext): EpcisObjectEvent[] {
  return receipts.map((receipt) => {
    const lot = index.lot(receipt.lotId);
    return {
      type: "ObjectEvent",
      ...when(ids.eventId(`receipt:${receipt.eventId}`), receipt.at),
      // ADD, not OBSERVE: the lot-level identifier is ours and comes into being at receipt, and
      // only ADD may carry ILMD, where the supplier's lot code belongs.
      action: "ADD",
      bizStep: "receiving",
      disposition: "in_progress",
      quantityList: [lotQuantity({ ids, index }, receipt.lotId, receipt.quantity, receipt.uom)],
      ...where(ids, receipt.locationId),
      ...(receipt.supplierId === null
        ? {}
        : { sourceList: [{ type: "owning_party" as const, source: ids.party(receipt.supplierId) }] }),
      ilmd: {
        "cbvmda:lotNumber": lot.code,
        ...(lot.supplierLotCode === null ? {} : { "lotgraph:supplierLotCode": lot.supplierLotCode }),
      },
    };
  });
}

/** A TransformationEvent per production run that has inputs or outputs. */
export function transformationEvents(
  runs: TraceFacts["transformations"],
  context: EpcisEventContext,
): EpcisTransformationEvent[] {
  const { ids } = context;
  const quantity = (l: { lotId: string; quantity: string; uom: string }) =>
    lotQuantity(context, l.lotId, l.quantity, l.uom);
  // An event with neither inputs nor outputs says nothing, and the schema rejects it.
  return runs
    .filter((run) => run.inputs.length > 0 || run.outputs.length > 0)
    .map((run) => ({
      type: "TransformationEvent",
      ...when(ids.eventId(`run:${run.runId}`), run.at),
      // Ties together the events of one run, and lets a run with only inputs so far be valid.
      transformationID: ids.run(run.runId),
      ...(run.inputs.length === 0 ? {} : { inputQuantityList: run.inputs.map(quantity) }),
      ...(run.outputs.length === 0 ? {} : { outputQuantityList: run.outputs.map(quantity) }),
      // CBV 2.0 has no "transforming" step; commissioning/active is what GS1's own example uses
      // for new lots made from inputs.
      bizStep: "commissioning",
      disposition: "active",
      ...where(ids, run.locationId ?? null),
    }));
}

/** An ObjectEvent (OBSERVE, shipping) per shipment with lines. */
export function shipmentEvents(shipments: TraceFacts["shipments"], context: EpcisEventContext): EpcisObjectEvent[] {
  const { ids } = context;
  return shipments
    .filter((shipment) => shipment.lines.length > 0)
    .map((shipment) => ({
      type: "ObjectEvent",
      ...when(ids.eventId(`shipment:${shipment.shipmentId}`), shipment.at),
      action: "OBSERVE",
      bizStep: "shipping",
      disposition: "in_transit",
      quantityList: shipment.lines.map((l) => lotQuantity(context, l.lotId, l.quantity, l.uom)),
      ...where(ids, shipment.fromLocationId ?? null),
      bizTransactionList: [{ type: "bol", bizTransaction: ids.billOfLading(shipment.reference) }],
      ...(shipment.fromLocationId === undefined || shipment.fromLocationId === null
        ? {}
        : { sourceList: [{ type: "location" as const, source: ids.location(shipment.fromLocationId) }] }),
      destinationList: [{ type: "owning_party", destination: ids.party(shipment.customerId) }],
    }));
}

/** An AggregationEvent per serial installation or removal. */
export function aggregationEvents(
  links: TraceFacts["aggregations"],
  { ids, index }: EpcisEventContext,
): EpcisAggregationEvent[] {
  return links.flatMap((link): EpcisAggregationEvent[] => {
    const child = aggregationChild(ids, index, link.childSerialId, link.childLotId);
    // The schema lets only DELETE omit the children (it then means "all of them").
    if (child === null && link.action === "ADD") return [];
    return [
      {
        type: "AggregationEvent",
        ...when(ids.eventId(`installation:${link.installationId}:${link.action}`), link.at),
        action: link.action,
        parentID: ids.serial(link.parentSerialId),
        ...child,
        // Components going into and out of an assembly (as-built), not packing into a container.
        bizStep: link.action === "ADD" ? "installing" : "removing",
      },
    ];
  });
}

/** A lot's quantity element, under its lot-level class. */
function lotQuantity({ ids, index }: EpcisEventContext, lotId: string, amount: string, uom: string) {
  const lot = index.lot(lotId);
  return quantityElement(ids.lotClass(lot.materialId, lot.code), amount, uom);
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
 * loses digits here (the FSMA spreadsheet keeps the exact string). An unknown unit (see rec20Unit)
 * or an unknown quantity (empty: a lot seen only through an output event) drops the quantity but
 * keeps the lot: an unknown amount is not zero.
 */
function quantityElement(epcClass: string, amount: string, unit: string): EpcisQuantityElement {
  const rec20 = rec20Unit(unit);
  if (rec20 === null || amount === "") return { epcClass };
  const value = Quantity.of(amount).toNumber();
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
