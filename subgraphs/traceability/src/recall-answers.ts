import type { DataRuntime, SubgraphDeps } from "@lotgraph/kit";
import type { TraceabilityClient, TraceabilityTx } from "./database.ts";
import type { RecallAnswerSources } from "./domain/recall/recall-records.ts";
import type { GenealogyStore } from "./genealogy/port/genealogy-store.ts";

/** Exposure and reconciliation of a case's source lots (wired when both land: issue 21 in progress). */
export function recallAnswers(
  _deps: SubgraphDeps,
  _data: DataRuntime<TraceabilityClient, TraceabilityTx>,
  _genealogy: GenealogyStore,
): RecallAnswerSources {
  return {
    exposure: () => Promise.reject(new Error("exposure is not wired yet")),
    reconciliation: () => Promise.reject(new Error("reconciliation is not wired yet")),
  };
}
