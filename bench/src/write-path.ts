import type { SqlDriver } from "@lotgraph/kit";
import { benchModes, startBenchStack, type Mode } from "./bench-stack.ts";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const CYCLES_PER_RUN = 10;

/**
 * The write path through the gateway, as a line runs it: receive a raw lot, consume it into a
 * run, record an output lot. Each iteration is three mutations; figures are per mutation and per
 * iteration, for embedded mode and (when DATABASE_URL and NATS_URL are set) services mode.
 */
export async function main(): Promise<void> {
  for (const mode of benchModes()) await measure(mode);
}

async function measure(mode: Mode): Promise<void> {
  const stack = await startBenchStack(mode);
  const { lotgraph, gql, token, id } = stack;
  try {
    const call = <T>(query: string, input: Record<string, unknown>) => gql<T>(token, query, { input });
    const site = await id("createLocation", "location", { code: "B-SITE", name: "Bench site", kind: "SITE" });
    const raw = await id("createMaterial", "material", {
      sku: "B-RAW",
      name: "Raw",
      uom: "kg",
      kind: "RAW",
      tracking: "LOT",
    });
    const product = await id("createMaterial", "material", {
      sku: "B-OUT",
      name: "Out",
      uom: "kg",
      kind: "INTERMEDIATE",
      tracking: "LOT",
    });
    const line = await id("createLine", "line", { code: "B-L1", name: "Bench line" });
    // Ten cycles per run, as on a line: the run-level genealogy links each run's inputs to its
    // outputs, so one endless run would measure an n² projection instead of the write path.
    const runs: string[] = [];
    for (let r = 0; r < Math.ceil(ITERATIONS / CYCLES_PER_RUN); r++) {
      const workOrderId = await id("createWorkOrder", "workOrder", {
        productId: product,
        plannedQuantity: "100",
        lineId: line,
        phases: [{ name: "Make" }],
      });
      await id("releaseWorkOrder", "workOrder", { workOrderId });
      runs.push(await id("startRun", "run", { workOrderId }));
    }

    const latencies: Record<"receiveLot" | "consumeLot" | "recordOutput", number[]> = {
      receiveLot: [],
      consumeLot: [],
      recordOutput: [],
    };
    const timed = async <T>(name: keyof typeof latencies, fn: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      const result = await fn();
      latencies[name].push(performance.now() - start);
      return result;
    };
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < ITERATIONS; i = next++) {
          const runId = runs[Math.floor(i / CYCLES_PER_RUN)]!;
          const lotId = await timed("receiveLot", () =>
            id("receiveLot", "lot", { materialId: raw, quantity: "10", locationId: site, code: `B-R-${i}` }),
          );
          await timed("consumeLot", () =>
            id("consumeLot", "consumption", { runId, lotId, quantity: "10", idempotencyKey: `b-c-${i}` }),
          );
          await timed("recordOutput", () =>
            call(`mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`, {
              runId,
              quantity: "9.5",
              code: `B-O-${i}`,
              locationId: site,
            }),
          );
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const settledMs = await settled(lotgraph.databases.traceability, ITERATIONS);
    console.log(
      `\nwrite path through the gateway, ${mode} mode: ${ITERATIONS} iterations × 3 mutations, ${CONCURRENCY} concurrent clients`,
    );
    console.log(
      `  throughput  ${((ITERATIONS * 3) / seconds).toFixed(1)} mutations/s  (${(ITERATIONS / seconds).toFixed(1)} receive→consume→output cycles/s)`,
    );
    // What the responses leave behind (outbox → bus → projections) competes for the same cores:
    // a figure that left a backlog would not be sustainable.
    console.log(`  events settled ${settledMs.toFixed(0)} ms after the last response (every output in traceability)`);
    for (const [name, values] of Object.entries(latencies)) {
      values.sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(13)} p50 ${pct(values, 0.5)} ms   p95 ${pct(values, 0.95)} ms   p99 ${pct(values, 0.99)} ms`,
      );
    }
  } finally {
    await stack.stop();
  }
}

/** Milliseconds until traceability has projected `outputs` outputs (the last events of the run). */
async function settled(traceability: SqlDriver, outputs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const [row] = await traceability.query<{ n: number }>("SELECT count(*)::int AS n FROM run_output_record");
    if ((row?.n ?? 0) >= outputs || performance.now() - start > 120_000) return performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function pct(sorted: number[], p: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0).toFixed(1);
}
