import {
  SUBJECTS,
  consumptionRecordedPayload,
  lotReceivedPayload,
  outputRecordedPayload,
  startProjection,
  type BusMessage,
  type Consumption,
  type Database,
  type EventBus,
  type Logger,
} from "@lotgraph/kit";
import type { LinkResult } from "./store/genealogy-store.ts";
import { SqlGenealogyStore, type TraceabilityClient, type TraceabilityTx } from "./store/sql-genealogy-store.ts";

/**
 * The genealogy is a projection of events (DESIGN.md §3): received and produced lots become
 * nodes, and each run links everything it consumed to everything it output (§4.4), whatever
 * order the consumption and output events arrive in. Idempotent by event id (startProjection)
 * and by key (upserts), so replays are harmless.
 */
export function startGenealogyProjection(
  db: Database<TraceabilityClient, TraceabilityTx>,
  bus: EventBus,
  logger: Logger,
): Promise<Consumption> {
  return startProjection<TraceabilityTx>({
    bus,
    logger,
    durable: "traceability-genealogy",
    subjects: [
      SUBJECTS.inventory.lotReceived,
      SUBJECTS.production.consumptionRecorded,
      SUBJECTS.production.outputRecorded,
    ],
    transaction: (fn) => db.transaction(fn),
    apply: async (tx, message) => {
      const store = new SqlGenealogyStore(tx);
      const links = await applyEvent(store, message);
      for (const edge of links?.refusedCycles ?? []) {
        // Never corrupt the graph: the edge is refused and the event named for investigation.
        logger.error(
          { event: message.id, subject: message.subject, ...edge },
          "genealogy edge refused: it would close a cycle",
        );
      }
    },
  });
}

async function applyEvent(store: SqlGenealogyStore, message: BusMessage): Promise<LinkResult | null> {
  switch (message.subject) {
    case SUBJECTS.inventory.lotReceived: {
      const payload = lotReceivedPayload.parse(message.payload);
      await store.upsertLot({
        lotId: message.entityId,
        code: payload.code,
        materialId: payload.materialId,
        supplierLotCode: payload.supplierLotCode,
        createdAt: new Date(payload.createdAt),
      });
      return null;
    }
    case SUBJECTS.production.consumptionRecorded: {
      const payload = consumptionRecordedPayload.parse(message.payload);
      return store.recordRunInput(payload.runId, payload.lotId, payload.quantity, payload.consumptionId);
    }
    case SUBJECTS.production.outputRecorded: {
      const payload = outputRecordedPayload.parse(message.payload);
      await store.upsertLot({
        lotId: payload.lotId,
        code: null,
        materialId: payload.materialId,
        createdAt: new Date(payload.recordedAt),
      });
      return store.recordRunOutput(payload.runId, payload.lotId);
    }
    default:
      return null;
  }
}
