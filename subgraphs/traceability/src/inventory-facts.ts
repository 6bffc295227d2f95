import { SubgraphClient, type SubgraphDeps } from "@lotgraph/kit";
import type { CurrentLotFacts, LotFactsSource } from "./domain/records.ts";

/** Inventory answers at most this many ids per call (its MAX_LOT_FACTS). */
const BATCH = 5000;

const LOT_FACTS = `query LotFacts($ids: [ID!]!) { lotFacts(ids: $ids) { id code materialKind quantity status uom } }`;

/**
 * Current lot facts from inventory's internal `lotFacts` query. Recall asks inventory rather
 * than projecting quantity and material kind from events: on-hand must be what inventory says
 * now (a lagging projection could show a lot as gone while it still sits in a bin), and
 * inventory is the only owner of both (DESIGN.md §3).
 */
export function inventoryLotFacts(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">): LotFactsSource {
  const client = new SubgraphClient({
    caller: "traceability",
    url: () => deps.peerUrl("inventory"),
    tokens: deps.tokens,
  });
  return {
    async lotFacts(ids) {
      const result: CurrentLotFacts[] = [];
      for (let start = 0; start < ids.length; start += BATCH) {
        const data = await client.request<{ lotFacts: CurrentLotFacts[] }>(LOT_FACTS, {
          ids: ids.slice(start, start + BATCH),
        });
        result.push(...data.lotFacts);
      }
      return result;
    },
  };
}
