import type { Edge } from "./genealogy-oracle.ts";

/** mulberry32: a small seeded PRNG, so a failing graph can be generated again from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version 4 UUID drawn from `random` (the stores key lots by uuid). */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(random() * 4)]!;
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export interface Consumption {
  consumptionId: string;
  lotId: string;
  /** decimal string */
  quantity: string;
}

export interface GeneratedRun {
  runId: string;
  consumptions: Consumption[];
  outputs: string[];
}

/** The events of a run as the projection sees them, in any order. */
export type GenealogyEvent =
  ({ kind: "consumed"; runId: string } & Consumption) | { kind: "output"; runId: string; lotId: string };

export interface GeneratedGenealogy {
  /** lots per level; level 0 holds the received (raw) lots */
  levels: string[][];
  runs: GeneratedRun[];
  /** what the run-level rule (DESIGN.md §4.4) makes of the runs: inputs × outputs */
  edges: Edge[];
  /** "parent>child" → the run's total consumption of the parent, 6 decimals as SQL prints it */
  quantities: Map<string, string>;
}

/**
 * A random plant: `levels` stages after the raw lots. Each run consumes 1–3 lots, mostly from the
 * previous stage but sometimes from older ones (so a lot is reachable by paths of different
 * lengths), sometimes the same lot twice, and outputs 1–3 lots (splits); a lot may feed several
 * runs (merges downstream).
 */
export function generateGenealogy(seed: number, levels = 6, rawLots = 6, runsPerLevel = 3): GeneratedGenealogy {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const stages: string[][] = [Array.from({ length: rawLots }, () => seededUuid(random))];
  const runs: GeneratedRun[] = [];
  for (let level = 1; level <= levels; level++) {
    const stage: string[] = [];
    for (let r = 0; r < runsPerLevel; r++) {
      const inputs = new Set<string>();
      const count = 1 + Math.floor(random() * 3);
      while (inputs.size < count) {
        const from = random() < 0.75 ? level - 1 : Math.floor(random() * level);
        inputs.add(pick(stages[from]!));
      }
      const consumptions: Consumption[] = [];
      for (const lotId of inputs) {
        const times = random() < 0.2 ? 2 : 1;
        for (let t = 0; t < times; t++) {
          const quantity = `${1 + Math.floor(random() * 20)}.${Math.floor(random() * 1000)}`;
          consumptions.push({ consumptionId: seededUuid(random), lotId, quantity });
        }
      }
      const outputs = Array.from({ length: 1 + Math.floor(random() * 3) }, () => seededUuid(random));
      stage.push(...outputs);
      runs.push({ runId: seededUuid(random), consumptions, outputs });
    }
    stages.push(stage);
  }
  const edges: Edge[] = [];
  const quantities = new Map<string, string>();
  for (const run of runs) {
    const totals = new Map<string, bigint>();
    for (const c of run.consumptions) totals.set(c.lotId, (totals.get(c.lotId) ?? 0n) + micro(c.quantity));
    for (const [lotId, total] of totals) {
      for (const output of run.outputs) {
        edges.push([lotId, output]);
        quantities.set(`${lotId}>${output}`, formatMicro(total));
      }
    }
  }
  return { levels: stages, runs, edges, quantities };
}

/** Every event of the genealogy, shuffled by `seed` (consumption and output events race). */
export function shuffledEvents(genealogy: GeneratedGenealogy, seed: number): GenealogyEvent[] {
  const events: GenealogyEvent[] = genealogy.runs.flatMap((run) => [
    ...run.consumptions.map((c): GenealogyEvent => ({ kind: "consumed", runId: run.runId, ...c })),
    ...run.outputs.map((lotId): GenealogyEvent => ({ kind: "output", runId: run.runId, lotId })),
  ]);
  const random = seededRandom(seed);
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return events;
}

/** Decimal string → millionths, exactly (the stores keep 6 decimals). */
function micro(decimal: string): bigint {
  const [whole = "0", fraction = ""] = decimal.split(".");
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

function formatMicro(value: bigint): string {
  return `${value / 1_000_000n}.${(value % 1_000_000n).toString().padStart(6, "0")}`;
}
