import { SubgraphClient, type SubgraphDeps } from "@lotgraph/kit";
import type { LedgerTotalsSource, LotLedgerTotals } from "./domain/recall/reconciliation.ts";

export type { LedgerTotalsSource, LotLedgerTotals } from "./domain/recall/reconciliation.ts";

/** Inventory answers at most this many ids per call (its MAX_LOT_LEDGER_TOTALS). */
const BATCH = 5000;

const LOT_LEDGER_TOTALS = `query LotLedgerTotals($ids: [ID!]!) {
  lotLedgerTotals(ids: $ids) { id uom received consumed shipped scrapped adjustments onHand status }
}`;

/**
 * Source lots' ledger totals from inventory's internal `lotLedgerTotals` query, for a recall's
 * reconciliation. Asked of inventory now rather than projected from events: inventory owns the
 * ledger, and a reconciliation read from a lagging projection could call stock missing that is
 * only not yet seen (as for lotFacts, inventory-facts.ts).
 */
export function inventoryLedgerTotals(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">): LedgerTotalsSource {
  const client = new SubgraphClient({
    caller: "traceability",
    url: () => deps.peerUrl("inventory"),
    tokens: deps.tokens,
  });
  return {
    async lotLedgerTotals(ids) {
      const unique = [...new Set(ids)];
      const result: LotLedgerTotals[] = [];
      for (let start = 0; start < unique.length; start += BATCH) {
        const data = await client.request<{ lotLedgerTotals: LotLedgerTotals[] }>(LOT_LEDGER_TOTALS, {
          ids: unique.slice(start, start + BATCH),
        });
        result.push(...data.lotLedgerTotals);
      }
      return result;
    },
  };
}
