import { allocateExposure } from "./allocate-exposure.ts";
import type { ExposureReads } from "./exposure-reads.ts";
import { exposureReport } from "./exposure-report.ts";
import type { ExposureView } from "./exposure-views.ts";

/**
 * How much of the source lots is in every lot made from them, each serial and each customer
 * (decision 0023). Two reads whatever the size: the genealogy's descendants walk for the set of
 * lots, then the flows around them in batches; the allocation is linear in runs and lots.
 */
export async function computeExposure(reads: ExposureReads, sourceLotIds: readonly string[]): Promise<ExposureView> {
  const sources = [...new Set(sourceLotIds)];
  if (sources.length === 0) return { lots: [], serials: [], customers: [], sourceQuantity: [] };
  const descendants = await reads.descendants(sources);
  const exposed = [...new Set([...sources, ...descendants])];
  const flows = await reads.flowsOf(exposed);
  return exposureReport(sources, allocateExposure(sources, exposed, flows), flows);
}
