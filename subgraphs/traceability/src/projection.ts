import {
  SUBJECTS,
  lotReceivedPayload,
  startProjection,
  type Consumption,
  type Database,
  type EventBus,
  type Logger,
} from "@lotgraph/kit";
import { SqlGenealogyStore, type TraceabilityClient, type TraceabilityTx } from "./store/sql-genealogy-store.ts";

/**
 * The genealogy is a projection of events (DESIGN.md §3): every received lot becomes a node.
 * Idempotent by event id (startProjection) and by key (upsert), so replays are harmless.
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
    subjects: [SUBJECTS.inventory.lotReceived],
    transaction: (fn) => db.transaction(fn),
    apply: async (tx, message) => {
      const payload = lotReceivedPayload.parse(message.payload);
      await SqlGenealogyStore.within(tx).upsertLot({
        lotId: message.entityId,
        code: payload.code,
        materialId: payload.materialId,
        createdAt: new Date(payload.createdAt),
      });
    },
  });
}
