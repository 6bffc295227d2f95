import type { SubgraphDeps } from "@lotgraph/kit";
import { computeExposure, type ExposureReads } from "./domain/exposure/index.ts";
import type { RecallAnswerSources } from "./domain/recall/recall-records.ts";
import { reconcile } from "./domain/recall/reconciliation.ts";
import { inventoryLedgerTotals } from "./inventory-ledger-totals.ts";

/**
 * A case's exposure (traceability's own facts and genealogy) and its reconciliation (inventory's
 * ledger now), from the source lots.
 */
export function recallAnswers(
  deps: Pick<SubgraphDeps, "tokens" | "peerUrl">,
  exposureReads: ExposureReads,
): RecallAnswerSources {
  const ledger = inventoryLedgerTotals(deps);
  return {
    exposure: (sourceLotIds) => computeExposure(exposureReads, sourceLotIds),
    reconciliation: async (sourceLotIds) => reconcile(await ledger.lotLedgerTotals(sourceLotIds)),
  };
}
