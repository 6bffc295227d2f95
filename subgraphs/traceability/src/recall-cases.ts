import { startPendingWriteRecovery, type PendingWrite, type SubgraphDeps } from "@lotgraph/kit";
import type { DataRuntime } from "@lotgraph/kit";
import type { TraceabilityClient, TraceabilityTx } from "./database.ts";
import { RecallCaseService, type OpenWrite } from "./domain/recall/recall-cases.ts";
import type { LotFactsSource, TraceReads } from "./domain/records.ts";
import type { GenealogyStore } from "./genealogy/port/genealogy-store.ts";
import type { ExposureReads } from "./domain/exposure/index.ts";
import { identitySignatures, qualityContainment } from "./peers/recall-peers.ts";
import { recallAnswers } from "./recall-answers.ts";

/**
 * Recall cases with their peers, and the recovery that completes an opening left half-done (a
 * crash after quality held the scope and before the case was recorded, or quality away).
 */
export function startRecallCases(
  deps: SubgraphDeps,
  data: DataRuntime<TraceabilityClient, TraceabilityTx>,
  sources: { genealogy: GenealogyStore; reads: TraceReads; inventory: LotFactsSource; exposureReads: ExposureReads },
): { recalls: RecallCaseService; stop: () => Promise<void> } {
  const { exposureReads, ...scopeSources } = sources;
  const recalls = new RecallCaseService({
    db: data.db,
    ...scopeSources,
    answers: recallAnswers(deps, exposureReads),
    quality: qualityContainment(deps),
    identity: identitySignatures(deps),
  });
  const recovery = startPendingWriteRecovery({
    db: data.db,
    logger: deps.logger.child({ component: "recall-recovery" }),
    handlers: {
      openRecall: (write) =>
        recalls.completeOpening(
          write as PendingWrite<Parameters<typeof recalls.completeOpening>[0]["payload"]>,
          `recovery:${write.id}`,
        ),
    },
  });
  return { recalls, stop: () => recovery.stop() };
}

export type { OpenWrite };
