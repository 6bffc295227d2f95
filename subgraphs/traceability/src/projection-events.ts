import { SUBJECTS, payloadOf, type BusMessage } from "@lotgraph/kit";
import type { LinkResult } from "./store/genealogy-store.ts";
import { SqlFactsStore } from "./store/sql-facts-store.ts";
import type { GenealogyStore } from "./store/genealogy-store.ts";
import { SqlGenealogyStore, type TraceabilityTx } from "./store/sql-genealogy-store.ts";

/** Every subject the genealogy projection reads (the consumer and `rebuild-genealogy` alike). */
export const GENEALOGY_SUBJECTS: readonly string[] = [
  SUBJECTS.inventory.lotReceived,
  SUBJECTS.inventory.lotProduced,
  SUBJECTS.inventory.lotShipped,
  SUBJECTS.inventory.shipmentCreated,
  SUBJECTS.production.consumptionRecorded,
  SUBJECTS.production.outputRecorded,
  SUBJECTS.production.componentInstalled,
  SUBJECTS.production.componentRemoved,
  // Master data, so the exports can name products, places and trading partners.
  SUBJECTS.inventory.materialCreated,
  SUBJECTS.inventory.locationCreated,
  SUBJECTS.inventory.partyCreated,
  SUBJECTS.production.lineCreated,
];

const NOTHING_LINKED: LinkResult = { linked: 0, refusedCycles: [] };

/**
 * Applies one event to the projection inside the caller's transaction. Pure upserts by key, so
 * applying it twice leaves the same state; the edges it refused (cycles) are returned.
 */
export async function applyGenealogyEvent(
  tx: TraceabilityTx,
  message: BusMessage,
  /** Wraps the transaction's graph store, e.g. so the read cache learns which lots changed. */
  wrapGraph: (store: GenealogyStore) => GenealogyStore = (store) => store,
): Promise<LinkResult> {
  const graph = wrapGraph(new SqlGenealogyStore(tx));
  const facts = new SqlFactsStore(tx);
  switch (message.subject) {
    case SUBJECTS.inventory.lotReceived: {
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
    }
    case SUBJECTS.inventory.lotProduced: {
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
    }
    case SUBJECTS.inventory.lotShipped: {
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
    }
    case SUBJECTS.inventory.shipmentCreated: {
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
    }
    case SUBJECTS.production.consumptionRecorded: {
      const p = payloadOf(SUBJECTS.production.consumptionRecorded, message);
      const links = await graph.recordRunInput(p.runId, p.lotId, p.quantity, p.consumptionId);
      await facts.recordConsumedAt(p.consumptionId, new Date(p.consumedAt));
      await facts.recordRunPlace({ runId: p.runId, lineId: p.lineId, locationId: null });
      return links;
    }
    case SUBJECTS.production.outputRecorded: {
      const p = payloadOf(SUBJECTS.production.outputRecorded, message);
      await graph.upsertLot({
        lotId: p.lotId,
        code: null,
        materialId: p.materialId,
        createdAt: new Date(p.recordedAt),
      });
      const links = await graph.recordRunOutput(p.runId, p.lotId);
      await facts.recordOutputQuantity(
        { outputId: p.outputId, runId: p.runId, lotId: p.lotId, quantity: p.quantity },
        new Date(p.recordedAt),
      );
      await facts.recordRunPlace({ runId: p.runId, lineId: p.lineId, locationId: p.locationId ?? null });
      return links;
    }
    case SUBJECTS.production.componentInstalled:
    case SUBJECTS.production.componentRemoved: {
      const p = payloadOf(SUBJECTS.production.componentRemoved, message);
      await facts.upsertInstallation({
        installationId: p.installationId,
        parentSerialId: p.parentSerialId,
        componentSerialId: p.componentSerialId,
        componentLotId: p.componentLotId,
        quantity: p.quantity,
        runId: p.runId,
        installedAt: new Date(p.installedAt),
        removedAt: p.removedAt ? new Date(p.removedAt) : null,
      });
      return NOTHING_LINKED;
    }
    case SUBJECTS.inventory.materialCreated: {
      const p = payloadOf(SUBJECTS.inventory.materialCreated, message);
      await facts.upsertMaterial({ materialId: message.entityId, ...p });
      return NOTHING_LINKED;
    }
    case SUBJECTS.inventory.locationCreated: {
      const p = payloadOf(SUBJECTS.inventory.locationCreated, message);
      await facts.upsertLocation({ locationId: message.entityId, ...p });
      return NOTHING_LINKED;
    }
    case SUBJECTS.inventory.partyCreated: {
      const p = payloadOf(SUBJECTS.inventory.partyCreated, message);
      await facts.upsertParty({ partyId: message.entityId, ...p });
      return NOTHING_LINKED;
    }
    case SUBJECTS.production.lineCreated: {
      const p = payloadOf(SUBJECTS.production.lineCreated, message);
      await facts.upsertLine({ lineId: p.lineId, code: p.code, name: p.name });
      return NOTHING_LINKED;
    }
    default:
      return NOTHING_LINKED;
  }
}
