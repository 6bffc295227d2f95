import {
  startProjection,
  type BusMessage,
  type Consumption,
  type Database,
  type EventBus,
  type Logger,
} from "@lotgraph/kit";
import { GENEALOGY_SUBJECTS, applyGenealogyEvent } from "./projection-events.ts";
import type { CachedGenealogyStore } from "../genealogy/memory/cached-genealogy-store.ts";
import type { GenealogyStore } from "../genealogy/port/genealogy-store.ts";
import type { Neo4jEventTransaction } from "../genealogy/neo4j/neo4j-event-transaction.ts";
import type { Neo4jGenealogyStore } from "../genealogy/neo4j/neo4j-genealogy-store.ts";
import { Neo4jProjectionGraph } from "./neo4j-projection-graph.ts";
import { SqlFactsStore } from "../facts/sql-facts-store.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

/** The consumer's durable name; `processed_event` rows under it belong to the projection. */
export const GENEALOGY_CONSUMER = "traceability-genealogy";

/**
 * Where the projection writes the graph of each event (the facts always go to SQL):
 * - `sql`: the SQL store in the consumer's transaction (embedded mode), optionally wrapped, e.g.
 *   so the read cache learns which lots changed;
 * - `neo4j`: Neo4j, one Neo4j transaction per event committed just before the SQL transaction
 *   (docs/decisions/0009).
 */
export type ProjectionGraph =
  { kind: "sql"; wrap?: (store: GenealogyStore) => GenealogyStore } | { kind: "neo4j"; store: Neo4jGenealogyStore };

const SQL_GRAPH: ProjectionGraph = { kind: "sql" };

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
  options: {
    /** The embedded read cache: told after each commit which lots' edges changed. */
    cache?: CachedGenealogyStore;
    /** Services mode: the graph lives in Neo4j (no read cache then: Neo4j answers reads itself). */
    neo4j?: Neo4jGenealogyStore;
  } = {},
): Promise<Consumption> {
  const { cache, neo4j } = options;
  if (cache && neo4j) throw new Error("the read cache decorates the SQL genealogy; it cannot front Neo4j");
  const graph: ProjectionGraph = neo4j
    ? { kind: "neo4j", store: neo4j }
    : { kind: "sql", ...(cache ? { wrap: (store: GenealogyStore) => cache.track(store) } : {}) };
  return startProjection<TraceabilityTx>({
    bus,
    logger,
    durable: GENEALOGY_CONSUMER,
    subjects: [...GENEALOGY_SUBJECTS],
    transaction: (fn) => (cache ? cache.committing(() => db.transaction(fn)) : db.transaction(fn)),
    apply: async (tx, message) => {
      await applyOrPark(tx, message, logger, graph);
    },
  });
}

/**
 * Applies an event, or parks it whole when any edge it implies would close a cycle (DESIGN.md
 * §4.3): everything the event wrote is rolled back (the SQL rows to a savepoint, the Neo4j writes
 * with their uncommitted transaction), so the graph is exactly as before, and the event is kept
 * in `parked_event` for an operator. Returns whether it was applied.
 */
export async function applyOrPark(
  tx: TraceabilityTx,
  message: BusMessage,
  logger: Logger,
  graph: ProjectionGraph = SQL_GRAPH,
): Promise<boolean> {
  await tx.$executeRawUnsafe("SAVEPOINT genealogy_event");
  const links =
    graph.kind === "neo4j"
      ? await applyThroughNeo4j(tx, message, graph.store)
      : await applyGenealogyEvent(tx, message, graph.wrap);
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

/**
 * Applies an event with its graph in Neo4j. The caller's SQL transaction has not yet recorded the
 * event as processed (startProjection commits that after `apply` returns), so:
 * - Neo4j commits first: a failed SQL commit afterwards means a redelivery, which re-applies
 *   harmlessly (MERGE on ids, consumptions keyed by their event id);
 * - Neo4j unreachable or failing: this throws, the SQL transaction rolls back, the bus redelivers
 *   later, and nothing is lost (DESIGN.md §4.7);
 * - an event with no graph write opens no Neo4j transaction, so facts keep flowing while Neo4j is down;
 * - a refused event is never committed: `close()` rolls its Neo4j transaction back, the caller
 *   rolls the SQL rows back to the savepoint and parks it.
 */
async function applyThroughNeo4j(tx: TraceabilityTx, message: BusMessage, neo4j: Neo4jGenealogyStore) {
  // The promise, not the transaction, is kept: two writes asking at once still share one transaction.
  let opening: Promise<Neo4jEventTransaction> | undefined;
  const open = () => (opening ??= neo4j.beginEvent());
  try {
    const links = await applyGenealogyEvent(tx, message, () => new Neo4jProjectionGraph(open, tx));
    if (links.refusedCycles.length === 0) await (await opening)?.commit();
    return links;
  } finally {
    // A transaction that failed to open has nothing to close (beginEvent closed its session).
    await (await opening?.catch(() => undefined))?.close();
  }
}
