import { allocateExposure, upstreamOf } from "./allocate-exposure.ts";
import type { ExposureReads } from "./exposure-reads.ts";
import { exposureReport, type ShownFigure } from "./exposure-report.ts";
import type { ExposureView } from "./exposure-views.ts";
import { EXACT_SHARES, SHARE_BOUNDS } from "./share-arithmetic.ts";

/** Stands for a figure the bounds could not settle, in a first pass that is thrown away. */
const UNSETTLED = "0.000000";

/**
 * How much of the source lots is in every lot made from them, each serial and each customer
 * (decision 0023). Two reads whatever the size: the genealogy's descendants walk for the set of
 * lots, then the flows around them in batches; the allocation is linear in runs and lots.
 *
 * Every figure is the exact one rounded once, half to even, to 6 places. Exact rationals grow
 * with the runs upstream of a lot (thousands of digits deep in a large plant), so the allocation
 * runs on tight bounds first (share-arithmetic.ts); only figures whose bounds straddle a rounding
 * tie are worked out again exactly, over the lots upstream of them alone.
 */
export async function computeExposure(reads: ExposureReads, sourceLotIds: readonly string[]): Promise<ExposureView> {
  const sources = [...new Set(sourceLotIds)];
  if (sources.length === 0) return { lots: [], serials: [], customers: [], sourceQuantity: [] };
  const descendants = await reads.descendants(sources);
  const exposed = [...new Set([...sources, ...descendants])];
  const flows = await reads.flowsOf(exposed);

  const bounds = allocateExposure(SHARE_BOUNDS, sources, exposed, flows);
  const depths = new Map([...bounds].map(([lotId, allocation]) => [lotId, allocation.depth]));
  const byBounds = (terms: Parameters<ShownFigure>[0]) =>
    SHARE_BOUNDS.shown(terms.map(([lotId, micros]) => [bounds.get(lotId)!.fraction, micros] as const));
  const unsettled = new Set<string>();
  const firstPass = exposureReport(sources, depths, flows, (terms) => {
    const figure = byBounds(terms);
    if (figure === null) for (const [lotId] of terms) unsettled.add(lotId);
    return figure ?? UNSETTLED;
  });
  if (unsettled.size === 0) return firstPass;

  const upstream = upstreamOf(unsettled, sources, exposed, flows);
  const exact = allocateExposure(
    EXACT_SHARES,
    sources.filter((lotId) => upstream.has(lotId)),
    [...upstream],
    flows,
  );
  return exposureReport(
    sources,
    depths,
    flows,
    (terms) =>
      byBounds(terms) ??
      // Exact shares always settle a figure.
      EXACT_SHARES.shown(terms.map(([lotId, micros]) => [exact.get(lotId)!.fraction, micros] as const))!,
  );
}
