import type { RunInputRow, RunOutputRow } from "./exposure-reads.ts";
import { Rational } from "./rational.ts";

/** How much of a lot is source material, exactly, and how many runs it is from the source. */
export interface LotAllocation {
  /** 0 to 1. */
  fraction: Rational;
  /** Fewest runs between a source lot and this lot (0 for a source lot). */
  depth: number;
}

interface RunNode {
  inputs: RunInputRow[];
  outputs: RunOutputRow[];
  /** Exposed inputs whose fraction is not known yet. */
  waiting: number;
}

/** What the runs that output a lot have passed on to it so far. */
interface Received {
  /** Σ run fraction × quantity output, over the runs that said how much they output. */
  weighted: Rational;
  output: Rational;
  /** Whether some run output the lot without a quantity: then weights are unknown. */
  unweighed: boolean;
  largest: Rational;
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
export function allocateExposure(
  sourceLotIds: readonly string[],
  exposedLotIds: readonly string[],
  flows: { runInputs: readonly RunInputRow[]; runOutputs: readonly RunOutputRow[] },
): Map<string, LotAllocation> {
  const sources = new Set(sourceLotIds);
  const exposed = new Set([...sourceLotIds, ...exposedLotIds]);
  const runs = new Map<string, RunNode>();
  const received = new Map<string, Received>();
  for (const output of flows.runOutputs) {
    if (!exposed.has(output.lotId) || sources.has(output.lotId)) continue;
    runNode(runs, output.runId).outputs.push(output);
    receivedBy(received, output.lotId).waiting += 1;
  }
  const consumers = new Map<string, RunNode[]>();
  for (const input of flows.runInputs) {
    const run = runs.get(input.runId);
    if (!run) continue;
    run.inputs.push(input);
    if (!exposed.has(input.lotId)) continue;
    run.waiting += 1;
    const runsOfLot = consumers.get(input.lotId);
    if (runsOfLot) runsOfLot.push(run);
    else consumers.set(input.lotId, [run]);
  }

  const settled = new Map<string, LotAllocation>();
  const readyLots = [...exposed].filter((lotId) => sources.has(lotId) || !received.get(lotId)?.waiting);
  const readyRuns = [...runs.values()].filter((run) => run.waiting === 0);
  while (readyLots.length > 0 || readyRuns.length > 0) {
    const lotId = readyLots.pop();
    if (lotId !== undefined) {
      settled.set(lotId, sources.has(lotId) ? { fraction: Rational.ONE, depth: 0 } : settleLot(received.get(lotId)));
      for (const run of consumers.get(lotId) ?? []) if (--run.waiting === 0) readyRuns.push(run);
      continue;
    }
    const run = readyRuns.pop()!;
    const { fraction, depth } = allocateRun(run, settled);
    for (const output of run.outputs) {
      const into = received.get(output.lotId)!;
      into.largest = into.largest.max(fraction);
      into.depth = Math.min(into.depth, depth + 1);
      if (output.quantity === null) into.unweighed = true;
      else {
        const quantity = Rational.fromDecimal(output.quantity);
        into.weighted = into.weighted.plus(fraction.times(quantity));
        into.output = into.output.plus(quantity);
      }
      if (--into.waiting === 0) readyLots.push(output.lotId);
    }
  }
  if (settled.size < exposed.size) {
    const stuck = [...exposed].filter((lotId) => !settled.has(lotId));
    throw new Error(`the runs around lots ${stuck.slice(0, 5).join(", ")} form a cycle: the genealogy is broken`);
  }
  return settled;
}

/** A lot whose every run is allocated: their fractions weighted by what each output of it. */
function settleLot(into: Received | undefined): LotAllocation {
  if (!into) return { fraction: Rational.ZERO, depth: 1 };
  const weighable = !into.unweighed && into.output.isPositive();
  return {
    fraction: weighable ? into.weighted.dividedBy(into.output) : into.largest,
    depth: Number.isFinite(into.depth) ? into.depth : 1,
  };
}

/**
 * A run whose exposed inputs are all settled: the largest, over units, of the source share of
 * what it consumed in that unit; and the depth of its nearest exposed input (Infinity for none).
 */
function allocateRun(run: RunNode, settled: ReadonlyMap<string, LotAllocation>): LotAllocation {
  const perUnit = new Map<string, { consumed: Rational; source: Rational }>();
  let depth = Infinity;
  for (const input of run.inputs) {
    const unit = input.uom ?? "";
    const sums = perUnit.get(unit) ?? { consumed: Rational.ZERO, source: Rational.ZERO };
    const quantity = Rational.fromDecimal(input.quantity);
    sums.consumed = sums.consumed.plus(quantity);
    const lot = settled.get(input.lotId);
    if (lot) {
      sums.source = sums.source.plus(lot.fraction.times(quantity));
      depth = Math.min(depth, lot.depth);
    }
    perUnit.set(unit, sums);
  }
  let fraction = Rational.ZERO;
  for (const { consumed, source } of perUnit.values())
    if (consumed.isPositive() && source.isPositive()) fraction = fraction.max(source.dividedBy(consumed));
  return { fraction, depth };
}

function runNode(runs: Map<string, RunNode>, runId: string): RunNode {
  let run = runs.get(runId);
  if (!run) runs.set(runId, (run = { inputs: [], outputs: [], waiting: 0 }));
  return run;
}

function receivedBy(received: Map<string, Received>, lotId: string): Received {
  let into = received.get(lotId);
  if (!into) {
    into = {
      weighted: Rational.ZERO,
      output: Rational.ZERO,
      unweighed: false,
      largest: Rational.ZERO,
      depth: Infinity,
      waiting: 0,
    };
    received.set(lotId, into);
  }
  return into;
}
