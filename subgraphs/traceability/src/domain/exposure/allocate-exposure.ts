import { Quantity } from "@lotgraph/kit";
import type { RunInputRow, RunOutputRow } from "./exposure-reads.ts";
import type { ShareArithmetic } from "./share-arithmetic.ts";

/** How much of a lot is source material, and how many runs it is from the source. */
export interface LotAllocation<Share> {
  /** 0 to 1. */
  fraction: Share;
  /** Fewest runs between a source lot and this lot (0 for a source lot). */
  depth: number;
}

/** The runs and lots the allocation needs, in millionths. */
export interface ExposureFlowRows {
  runInputs: readonly RunInputRow[];
  runOutputs: readonly RunOutputRow[];
}

interface RunNode {
  inputs: Array<{ lotId: string; unit: string; consumed: bigint }>;
  outputs: Array<{ lotId: string; output: bigint | null }>;
  /** Exposed inputs whose fraction is not known yet. */
  waiting: number;
}

/** What the runs that output a lot have passed on to it so far. */
interface Received<Share> {
  /** [run fraction, what the run output of the lot], for the runs that said how much. */
  terms: Array<readonly [Share, bigint]>;
  output: bigint;
  /** Whether some run output the lot without a quantity: then the weights are unknown. */
  unweighed: boolean;
  largest: Share;
  depth: number;
  /** Runs that output the lot and have not been allocated yet. */
  waiting: number;
}

/**
 * The exposure model of decision 0023 over the runs around the exposed lots:
 * - a source lot is 1;
 * - a run passes on its inputs by the share each had of what it consumed, among inputs of the
 *   same unit (labels in ea do not dilute flour in kg); loss takes from every input alike, so it
 *   does not enter the share; when source reaches the run in more than one unit, the largest
 *   share is taken (a recall may overstate, never understate);
 * - a lot output by several runs takes their fractions weighted by what each output of it (the
 *   largest when a run's output quantity is unknown: again, never understate).
 *
 * Linear in runs, inputs and outputs: runs and lots are settled in topological order (Kahn), a
 * lot once all runs that output it are, a run once all its exposed inputs are. The genealogy
 * refuses cycles, so every lot settles; one that does not is a broken store, and this throws.
 *
 * `exposedLotIds` are the sources' descendants. A descendant no run in the flows output (a read
 * racing the projection between the graph and the SQL facts) gets 0 at depth 1.
 */
export function allocateExposure<Share>(
  arithmetic: ShareArithmetic<Share>,
  sourceLotIds: readonly string[],
  exposedLotIds: readonly string[],
  flows: ExposureFlowRows,
): Map<string, LotAllocation<Share>> {
  const sources = new Set(sourceLotIds);
  const exposed = new Set([...sourceLotIds, ...exposedLotIds]);
  const runs = new Map<string, RunNode>();
  const received = new Map<string, Received<Share>>();
  for (const row of flows.runOutputs) {
    if (!exposed.has(row.lotId) || sources.has(row.lotId)) continue;
    const output = row.quantity === null ? null : Quantity.of(row.quantity).micros;
    runNode(runs, row.runId).outputs.push({ lotId: row.lotId, output });
    receivedBy(received, row.lotId, arithmetic).waiting += 1;
  }
  const consumers = new Map<string, RunNode[]>();
  for (const row of flows.runInputs) {
    const run = runs.get(row.runId);
    if (!run) continue;
    run.inputs.push({ lotId: row.lotId, unit: row.uom ?? "", consumed: Quantity.of(row.quantity).micros });
    if (!exposed.has(row.lotId)) continue;
    run.waiting += 1;
    const runsOfLot = consumers.get(row.lotId);
    if (runsOfLot) runsOfLot.push(run);
    else consumers.set(row.lotId, [run]);
  }

  const settled = new Map<string, LotAllocation<Share>>();
  const readyLots = [...exposed].filter((lotId) => sources.has(lotId) || !received.get(lotId)?.waiting);
  const readyRuns = [...runs.values()].filter((run) => run.waiting === 0);
  while (readyLots.length > 0 || readyRuns.length > 0) {
    const lotId = readyLots.pop();
    if (lotId !== undefined) {
      const allocation = sources.has(lotId)
        ? { fraction: arithmetic.one, depth: 0 }
        : settleLot(arithmetic, received.get(lotId));
      settled.set(lotId, allocation);
      for (const run of consumers.get(lotId) ?? []) if (--run.waiting === 0) readyRuns.push(run);
      continue;
    }
    const run = readyRuns.pop()!;
    const { fraction, depth } = allocateRun(arithmetic, run, settled);
    for (const { lotId: outputLotId, output } of run.outputs) {
      const into = received.get(outputLotId)!;
      into.largest = arithmetic.max(into.largest, fraction);
      into.depth = Math.min(into.depth, depth + 1);
      if (output === null) into.unweighed = true;
      else {
        into.terms.push([fraction, output]);
        into.output += output;
      }
      if (--into.waiting === 0) readyLots.push(outputLotId);
    }
  }
  if (settled.size < exposed.size) {
    const stuck = [...exposed].filter((lotId) => !settled.has(lotId));
    throw new Error(`the runs around lots ${stuck.slice(0, 5).join(", ")} form a cycle: the genealogy is broken`);
  }
  return settled;
}

/**
 * The exposed lots `lotIds` need to be allocated: themselves and every exposed lot upstream of
 * them through the runs (a source stops the walk: it is 1 whatever it was made from).
 */
export function upstreamOf(
  lotIds: Iterable<string>,
  sourceLotIds: readonly string[],
  exposedLotIds: readonly string[],
  flows: ExposureFlowRows,
): Set<string> {
  const sources = new Set(sourceLotIds);
  const exposed = new Set([...sourceLotIds, ...exposedLotIds]);
  const runsOf = group(flows.runOutputs, (row) => row.lotId);
  const inputsOf = group(flows.runInputs, (row) => row.runId);
  const reached = new Set<string>();
  const queue = [...lotIds];
  for (let lotId = queue.pop(); lotId !== undefined; lotId = queue.pop()) {
    if (reached.has(lotId) || !exposed.has(lotId)) continue;
    reached.add(lotId);
    if (sources.has(lotId)) continue;
    for (const output of runsOf.get(lotId) ?? [])
      for (const input of inputsOf.get(output.runId) ?? []) queue.push(input.lotId);
  }
  return reached;
}

/** A lot whose every run is allocated: their fractions weighted by what each output of it. */
function settleLot<Share>(arithmetic: ShareArithmetic<Share>, into: Received<Share> | undefined): LotAllocation<Share> {
  if (!into) return { fraction: arithmetic.zero, depth: 1 };
  const weighable = !into.unweighed && into.output > 0n;
  return {
    fraction: weighable ? arithmetic.mean(into.terms, into.output) : into.largest,
    depth: Number.isFinite(into.depth) ? into.depth : 1,
  };
}

/**
 * A run whose exposed inputs are all settled: the largest, over units, of the source share of
 * what it consumed in that unit; and the depth of its nearest exposed input (Infinity for none).
 */
function allocateRun<Share>(
  arithmetic: ShareArithmetic<Share>,
  run: RunNode,
  settled: ReadonlyMap<string, LotAllocation<Share>>,
): LotAllocation<Share> {
  const perUnit = new Map<string, { consumed: bigint; terms: Array<readonly [Share, bigint]> }>();
  let depth = Infinity;
  for (const input of run.inputs) {
    let sums = perUnit.get(input.unit);
    if (!sums) perUnit.set(input.unit, (sums = { consumed: 0n, terms: [] }));
    sums.consumed += input.consumed;
    const lot = settled.get(input.lotId);
    if (!lot) continue;
    sums.terms.push([lot.fraction, input.consumed]);
    depth = Math.min(depth, lot.depth);
  }
  let fraction = arithmetic.zero;
  for (const { consumed, terms } of perUnit.values())
    if (consumed > 0n && terms.length > 0) fraction = arithmetic.max(fraction, arithmetic.mean(terms, consumed));
  return { fraction, depth };
}

function runNode(runs: Map<string, RunNode>, runId: string): RunNode {
  let run = runs.get(runId);
  if (!run) runs.set(runId, (run = { inputs: [], outputs: [], waiting: 0 }));
  return run;
}

function receivedBy<Share>(
  received: Map<string, Received<Share>>,
  lotId: string,
  arithmetic: ShareArithmetic<Share>,
): Received<Share> {
  let into = received.get(lotId);
  if (!into) {
    into = { terms: [], output: 0n, unweighed: false, largest: arithmetic.zero, depth: Infinity, waiting: 0 };
    received.set(lotId, into);
  }
  return into;
}

function group<Row>(rows: readonly Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
