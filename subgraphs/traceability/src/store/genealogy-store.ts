import type { LotNode } from "../domain/records.ts";

/**
 * The GenealogyStore port: the lot graph as a projection of events. The embedded adapter keeps
 * it in traceability's own SQL database; a Neo4j adapter joins with the traceability issue.
 */
export interface GenealogyStore {
  /** Adds a lot node; replaying the same node changes nothing. */
  upsertLot(node: LotNode): Promise<void>;
  /** lot id → ids of its direct parents */
  parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>>;
  /** lot id → ids of its direct children */
  childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>>;
}
