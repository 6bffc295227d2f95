import { SUBJECTS, payloadOf } from "@lotgraph/kit";
import { NOTHING_LINKED, type EventHandler } from "./event-handler.ts";

/** A received lot: a node of the genealogy, with its origin and serials as facts. */
const lotReceived: EventHandler = async (message, { graph, facts }) => {
  const p = payloadOf(SUBJECTS.inventory.lotReceived, message);
  const lotId = message.entityId;
  await graph.upsertLot({
    lotId,
    code: p.code,
    materialId: p.materialId,
    supplierLotCode: p.supplierLotCode,
    createdAt: new Date(p.createdAt),
  });
  await facts.recordLotOrigin({
    lotId,
    uom: p.uom,
    quantity: p.quantity,
    locationId: p.locationId,
    supplierId: p.supplierId,
    runId: null,
    originEventId: message.id,
  });
  await facts.recordSerials(lotId, p.serials ?? []);
  return NOTHING_LINKED;
};

/** A produced lot: the node (its run's edges come from production's events), its origin and serials. */
const lotProduced: EventHandler = async (message, { graph, facts }) => {
  const p = payloadOf(SUBJECTS.inventory.lotProduced, message);
  await graph.upsertLot({
    lotId: p.lotId,
    code: p.code,
    materialId: p.materialId,
    createdAt: new Date(p.createdAt),
  });
  await facts.recordLotOrigin({
    lotId: p.lotId,
    uom: p.uom,
    quantity: p.quantity,
    locationId: p.locationId,
    supplierId: null,
    runId: p.runId,
    originEventId: message.id,
  });
  await facts.recordSerials(p.lotId, p.serials);
  return NOTHING_LINKED;
};

const lotShipped: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.inventory.lotShipped, message);
  // lot.shipped carries no shipping time: the event's own time stands in until shipment.created.
  const shippedAt = new Date(message.occurredAt);
  await facts.upsertShipment({ shipmentId: p.shipmentId, customerId: p.customerId, shippedAt, reference: null });
  await facts.upsertShipmentLot({
    shipmentId: p.shipmentId,
    lotId: p.lotId,
    quantity: p.quantity,
    fromLocationId: p.locationId,
  });
  return NOTHING_LINKED;
};

const shipmentCreated: EventHandler = async (message, { facts }) => {
  const p = payloadOf(SUBJECTS.inventory.shipmentCreated, message);
  const shipmentId = message.entityId;
  await facts.upsertShipment({
    shipmentId,
    customerId: p.customerId,
    shippedAt: new Date(p.shippedAt),
    reference: p.reference,
  });
  for (const line of p.lines) {
    await facts.upsertShipmentLot({
      shipmentId,
      lotId: line.lotId,
      quantity: line.quantity,
      fromLocationId: line.locationId,
    });
  }
  return NOTHING_LINKED;
};

/** Inventory's lot and shipment events. */
export const LOT_EVENT_HANDLERS: ReadonlyArray<readonly [string, EventHandler]> = [
  [SUBJECTS.inventory.lotReceived, lotReceived],
  [SUBJECTS.inventory.lotProduced, lotProduced],
  [SUBJECTS.inventory.lotShipped, lotShipped],
  [SUBJECTS.inventory.shipmentCreated, shipmentCreated],
];
