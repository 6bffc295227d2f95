import {
  SUBJECTS,
  lotReceivedPayload,
  startProjection,
  type Consumption,
  type EventBus,
  type Logger,
} from "@lotgraph/kit";
import type { Database } from "@lotgraph/kit";
import type { QualityClient, QualityTx } from "./store/db.ts";
import { registerLot } from "./store/lot-store.ts";

/** Quality learns of every received lot so it can report PENDING and, later, gate it. */
export function startLotProjection(
  db: Database<QualityClient, QualityTx>,
  bus: EventBus,
  logger: Logger,
): Promise<Consumption> {
  return startProjection<QualityTx>({
    bus,
    logger,
    durable: "quality-lots",
    subjects: [SUBJECTS.inventory.lotReceived],
    transaction: (fn) => db.transaction(fn),
    apply: async (tx, message) => {
      lotReceivedPayload.parse(message.payload);
      await registerLot(tx, message.entityId);
    },
  });
}
