import type { RunRecord } from "../domain/records.ts";
import type { ProductionLoaders } from "../loaders.ts";

/** The run a record belongs to; a dangling reference is a bug, not a null. */
export async function runOf(loaders: ProductionLoaders, runId: string): Promise<RunRecord> {
  const run = await loaders.run.load(runId);
  if (!run) throw new Error(`record references missing run ${runId}`);
  return run;
}
