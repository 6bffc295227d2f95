import type { BusMessage } from "@lotgraph/kit";
import { SqlFactsStore } from "../facts/sql-facts-store.ts";
import type { GenealogyStore, LinkResult } from "../genealogy/port/genealogy-store.ts";
import { SqlGenealogyStore } from "../genealogy/sql/sql-genealogy-store.ts";
import type { TraceabilityTx } from "../database.ts";
import { NOTHING_LINKED, type EventHandler } from "./event-handler.ts";
import { LOT_EVENT_HANDLERS } from "./lot-events.ts";
import { MASTER_DATA_EVENT_HANDLERS } from "./master-data-events.ts";
import { RUN_EVENT_HANDLERS } from "./run-events.ts";

/** subject → how its events are applied; one module per producer family. */
const HANDLERS = new Map<string, EventHandler>([
  ...LOT_EVENT_HANDLERS,
  ...RUN_EVENT_HANDLERS,
  ...MASTER_DATA_EVENT_HANDLERS,
]);

/** Every subject the genealogy projection reads (the consumer and `rebuild-genealogy` alike). */
export const GENEALOGY_SUBJECTS: readonly string[] = [...HANDLERS.keys()];

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
  const handler = HANDLERS.get(message.subject);
  if (!handler) return NOTHING_LINKED;
  return handler(message, { graph: wrapGraph(new SqlGenealogyStore(tx)), facts: new SqlFactsStore(tx) });
}
