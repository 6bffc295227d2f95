import type { BusMessage } from "@lotgraph/kit";
import type { SqlFactsStore } from "../facts/sql-facts-store.ts";
import type { GenealogyStore, LinkResult } from "../genealogy/port/genealogy-store.ts";

/** Where one event is applied: the graph (SQL or Neo4j, maybe tracked by the read cache) and the SQL facts. */
export interface ProjectionStores {
  graph: GenealogyStore;
  facts: SqlFactsStore;
}

/**
 * Applies one event of one subject; returns what it linked and the edges it refused (cycles).
 * Graph writes come before fact writes (docs/decisions/0009: Neo4j's locks before SQL's).
 */
export type EventHandler = (message: BusMessage, stores: ProjectionStores) => Promise<LinkResult>;

export const NOTHING_LINKED: LinkResult = { linked: 0, refusedCycles: [] };
