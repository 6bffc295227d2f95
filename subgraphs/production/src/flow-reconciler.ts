import {
  SUBJECTS,
  payloadOf,
  startProjection,
  type BusMessage,
  type Consumption,
  type Database,
  type EventBus,
  type Logger,
} from "@lotgraph/kit";
import { recordConsumption, recordOutput, type FlowActor } from "./domain/flow-records.ts";
import type { ProductionClient, ProductionTx } from "./store/db.ts";
import { findRuns } from "./store/run-store.ts";
import { findWorkOrders } from "./store/work-order-store.ts";

/** The actor of a record made from an event that names no person (events older than this field). */
const INVENTORY: FlowActor = { id: "service:inventory", name: "Inventory" };

/**
 * Completes production's half of every cross-service write (decision 0006, its known gap closed):
 * `consumeLot` and `recordOutput` commit in inventory first and record here second. If the
 * process crashes, or the answer is lost, between the two, inventory's `lot.consumed` /
 * `lot.produced` event (written in the same transaction as the movement, so it exists exactly
 * when the movement does) reaches this consumer and production records what inventory did: the
 * consumption or output, its audit entry and the genealogy event, so the output's parents reach
 * traceability and a recall finds it. No client retry is needed. When the call did record it,
 * this finds the record (unique on the movement or the lot) and does nothing.
 */
export function startFlowReconciler(
  db: Database<ProductionClient, ProductionTx>,
  bus: EventBus,
  logger: Logger,
): Promise<Consumption> {
  return startProjection<ProductionTx>({
    bus,
    logger,
    durable: "production-flow-reconciler",
    subjects: [SUBJECTS.inventory.lotConsumed, SUBJECTS.inventory.lotProduced],
    transaction: (fn) => db.transaction(fn),
    apply: (tx, message) => reconcile(tx, message, logger),
  });
}

async function reconcile(tx: ProductionTx, message: BusMessage, logger: Logger): Promise<void> {
  const at = new Date(message.occurredAt);
  if (message.subject === SUBJECTS.inventory.lotConsumed) {
    const fact = payloadOf(SUBJECTS.inventory.lotConsumed, message);
    const run = await runOf(tx, fact.runId, message, logger);
    if (!run) return;
    const { lotId, materialId, quantity, movementId } = fact;
    const consumed = { runId: fact.runId, lineId: run.lineId, lotId, materialId, quantity, movementId, at };
    await recordConsumption(tx, consumed, fact.performedBy ?? INVENTORY, "inventory-event");
  } else {
    const fact = payloadOf(SUBJECTS.inventory.lotProduced, message);
    const run = await runOf(tx, fact.runId, message, logger);
    if (!run) return;
    const { lotId, materialId, quantity, locationId } = fact;
    const serialIds = fact.serials.map((serial) => serial.id);
    const produced = { runId: fact.runId, lineId: run.lineId, lotId, materialId, quantity, serialIds, locationId, at };
    await recordOutput(tx, produced, fact.performedBy ?? INVENTORY, "inventory-event");
  }
}

/** The run inventory moved stock for, with its work order's line; null (logged) if production has no such run. */
async function runOf(
  tx: ProductionTx,
  runId: string,
  message: BusMessage,
  logger: Logger,
): Promise<{ lineId: string | null } | null> {
  const [run] = await findRuns(tx, [runId]);
  if (!run) {
    // Inventory moves stock only for runs production asked it to: this one cannot be production's.
    logger.error({ event: message.id, runId }, "inventory moved stock for a run production does not have");
    return null;
  }
  const [workOrder] = await findWorkOrders(tx, [run.workOrderId]);
  return { lineId: workOrder?.lineId ?? null };
}
