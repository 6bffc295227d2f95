import { requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { ProductionLoaders } from "../loaders.ts";
import type { RunRecord } from "./records.ts";

/**
 * Production's rules. This first shell answers where a lot came from; work orders, runs,
 * consumption and output arrive with the write-path issue.
 */
export class ProductionService {
  async producedBy(caller: Principal | null, lotId: string, loaders: ProductionLoaders): Promise<RunRecord | null> {
    requireAuthenticated(caller);
    const runId = await loaders.producingRunId.load(lotId);
    return runId ? loaders.run.load(runId) : null;
  }

  async run(caller: Principal | null, runId: string, loaders: ProductionLoaders): Promise<RunRecord | null> {
    requireAuthenticated(caller);
    return loaders.run.load(runId);
  }
}
