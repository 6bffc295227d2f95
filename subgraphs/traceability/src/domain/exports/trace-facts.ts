import { notFound } from "@lotgraph/kit";
import { MAX_TRACE_DEPTH, type GenealogyStore, type TraceDirection } from "../../genealogy/port/genealogy-store.ts";
import type { TraceFacts, TraceLotFacts } from "./facts.ts";

export type { TraceLotFacts } from "./facts.ts";

/**
 * Reads what the exports need about a set of lots from traceability's projection. The rule the
 * adapter follows (and the exports therefore show):
 * - `lots`: the given lots the projection knows;
 * - `receipts`: the receipt of each given lot that was received (not produced);
 * - `transformations`: every run that consumed or output a given lot, listing only its inputs and
 *   outputs among the given lots. Run-level genealogy (DESIGN.md §4.4) makes that nearly the whole
 *   run: downstream, every output of a run that consumed a traced lot is traced too, so only
 *   co-inputs from outside the trace are left out; upstream, only sibling outputs are. The run that
 *   made a downstream trace's root appears with that output alone. An upstream trace of an output
 *   shows all of its inputs;
 * - `shipments`: every shipment that carried a given lot, with its lines of given lots only;
 * - `aggregations`: installations into or of the given lots' serials, or of a given lot;
 * - where: a run's `locationId` is its line (production's), else the location its first output was
 *   put in; a shipment's `fromLocationId` is where its lots were when they shipped (the nearest
 *   location holding them all when they left from several); null when no event told;
 * - `materials`, `locations`, `parties`: the master data of the ids the facts name, from inventory's
 *   and production's creation events; an entry whose event predates the names is left out, so the
 *   builders show the id rather than a guess.
 */
export interface ExportFactsReads {
  factsOfLots(lotIds: readonly string[]): Promise<TraceLotFacts>;
}

/**
 * The facts of one whole trace: the lots `trace` reaches from `lotId` in `direction`, unbounded in
 * practice (the store's maximum depth, far beyond any plant), and their events. NOT_FOUND when the
 * genealogy has never seen the lot: an empty export must never read as "nothing to report".
 */
export async function gatherTraceFacts(
  deps: { genealogy: GenealogyStore; reads: ExportFactsReads },
  lotId: string,
  direction: TraceDirection,
): Promise<TraceFacts> {
  const walk = await deps.genealogy.trace(lotId, direction, MAX_TRACE_DEPTH);
  const facts = await deps.reads.factsOfLots(walk.nodes.map((n) => n.lotId));
  if (!facts.lots.some((lot) => lot.id === lotId)) throw notFound("Lot", lotId);
  return { direction, rootLotId: lotId, ...facts };
}
