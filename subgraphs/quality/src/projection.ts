import {
  SUBJECTS,
  payloadOf,
  startProjection,
  type Consumption,
  type Database,
  type EventBus,
  type BusMessage,
  type Logger,
} from "@lotgraph/kit";
import { recordAutomaticHolds } from "./domain/automatic-holds.ts";
import type { QualityClient, QualityTx } from "./store/db.ts";
import { registerLot } from "./store/lot-store.ts";
import { closeContainment } from "./store/recall-containment-store.ts";

/** Where quality's consumers run: its database, the bus, its logger. */
export interface ProjectionDeps {
  db: Database<QualityClient, QualityTx>;
  bus: EventBus;
  logger: Logger;
}

/** One durable consumer of one subject, each event applied in its own transaction. */
function project(
  deps: ProjectionDeps,
  durable: string,
  subject: string,
  apply: (tx: QualityTx, message: BusMessage) => Promise<void>,
): Promise<Consumption> {
  return startProjection<QualityTx>({
    bus: deps.bus,
    logger: deps.logger,
    durable,
    subjects: [subject],
    transaction: (fn) => deps.db.transaction(fn),
    apply,
  });
}

/** Quality learns of every received lot so it can report PENDING and, later, gate it. */
export function startLotProjection(deps: ProjectionDeps): Promise<Consumption> {
  return project(deps, "quality-lots", SUBJECTS.inventory.lotReceived, async (tx, message) => {
    payloadOf(SUBJECTS.inventory.lotReceived, message);
    await registerLot(tx, message.entityId);
  });
}

/**
 * Records the holds inventory placed by itself on new lots (inherited from held inputs, from a
 * held run, from a held supplier lot code), from its `lot.held` events: the way such a hold on a
 * receipt reaches quality, and the safety net when production's report of an output's holds was
 * lost. Holds quality placed itself are already recorded: their events are skipped.
 */
export function startAutomaticHoldProjection(deps: ProjectionDeps): Promise<Consumption> {
  return project(deps, "quality-automatic-holds", SUBJECTS.inventory.lotHeld, async (tx, message) => {
    const payload = payloadOf(SUBJECTS.inventory.lotHeld, message);
    if (!payload.automatic) return;
    await recordAutomaticHolds(tx, payload.lotId, [
      { holdId: payload.holdId, causeLotId: payload.causeLotId ?? null, reason: payload.reason },
    ]);
  });
}

/**
 * Learns that a recall closed (traceability's recall.closed): from then on the holds its
 * containment placed may be released (decision 0029). A drill placed none and closes nothing.
 */
export function startRecallClosureProjection(deps: ProjectionDeps): Promise<Consumption> {
  return project(deps, "quality-recall-closures", SUBJECTS.traceability.recallClosed, async (tx, message) => {
    const payload = payloadOf(SUBJECTS.traceability.recallClosed, message);
    if (payload.drill) return;
    await closeContainment(tx, payload.recallCaseId, new Date(message.occurredAt));
  });
}
