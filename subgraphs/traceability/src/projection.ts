import {
  startProjection,
  type BusMessage,
  type Consumption,
  type Database,
  type EventBus,
  type Logger,
} from "@lotgraph/kit";
import { GENEALOGY_SUBJECTS, applyGenealogyEvent } from "./projection-events.ts";
import type { CachedGenealogyStore } from "./store/cached-genealogy-store.ts";
import type { GenealogyStore } from "./store/genealogy-store.ts";
import { SqlFactsStore } from "./store/sql-facts-store.ts";
import type { TraceabilityClient, TraceabilityTx } from "./store/sql-genealogy-store.ts";

/** The consumer's durable name; `processed_event` rows under it belong to the projection. */
export const GENEALOGY_CONSUMER = "traceability-genealogy";

/**
 * The genealogy is a projection of events (DESIGN.md §3): received and produced lots become
 * nodes, each run links everything it consumed to everything it output (§4.4) whatever order the
 * events arrive in, and shipments, serials and installations are kept beside the graph.
 * Idempotent by event id (startProjection) and by key (upserts), so replays are harmless.
 */
export function startGenealogyProjection(
  db: Database<TraceabilityClient, TraceabilityTx>,
  bus: EventBus,
  logger: Logger,
  /** The embedded read cache: told after each commit which lots' edges changed. */
  cache?: CachedGenealogyStore,
): Promise<Consumption> {
  return startProjection<TraceabilityTx>({
    bus,
    logger,
    durable: GENEALOGY_CONSUMER,
    subjects: [...GENEALOGY_SUBJECTS],
    transaction: (fn) => (cache ? cache.committing(() => db.transaction(fn)) : db.transaction(fn)),
    apply: async (tx, message) => {
      await applyOrPark(tx, message, logger, cache ? (store) => cache.track(store) : undefined);
    },
  });
}

/**
 * Applies an event, or parks it whole when any edge it implies would close a cycle (DESIGN.md
 * §4.3): everything the event wrote is rolled back to a savepoint, so the graph is exactly as
 * before, and the event is kept in `parked_event` for an operator. Returns whether it was applied.
 */
export async function applyOrPark(
  tx: TraceabilityTx,
  message: BusMessage,
  logger: Logger,
  wrapGraph?: (store: GenealogyStore) => GenealogyStore,
): Promise<boolean> {
  await tx.$executeRawUnsafe("SAVEPOINT genealogy_event");
  const links = await applyGenealogyEvent(tx, message, wrapGraph);
  if (links.refusedCycles.length === 0) {
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT genealogy_event");
    return true;
  }
  await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT genealogy_event");
  const reason = `would close a genealogy cycle: ${links.refusedCycles
    .map((e) => `${e.parentLotId} -> ${e.childLotId}`)
    .join(", ")}`;
  await new SqlFactsStore(tx).park({
    eventId: message.id,
    subject: message.subject,
    payload: {
      entityType: message.entityType,
      entityId: message.entityId,
      occurredAt: message.occurredAt,
      payload: message.payload,
    },
    reason,
  });
  logger.error(
    { event: message.id, subject: message.subject, refused: links.refusedCycles },
    "genealogy event parked: it would close a cycle",
  );
  return false;
}
