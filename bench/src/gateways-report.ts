import type { LoadResult } from "./gateways-load.ts";

/** One measurement of one gateway on one query in one round. */
export interface Sample extends LoadResult {
  /** CPU time of the gateway's process over the measurement, per request answered. */
  cpuPerRequest: number;
  /** The same with the five subgraph processes' CPU added (for the all-in-one: its own plus theirs, idle). */
  totalCpuPerRequest: number;
}

const median = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

function summarise(samples: Sample[]) {
  return {
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    cpu: median(samples.map((s) => s.cpuPerRequest)),
    totalCpu: median(samples.map((s) => s.totalCpuPerRequest)),
    failures: samples.reduce((n, s) => n + s.failures, 0),
    requests: samples.reduce((n, s) => n + s.requests, 0),
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");
const ratio = (value: number, stock: number) =>
  Number.isFinite(value / stock) ? `${(value / stock).toFixed(2)}×` : "–";

/**
 * One table per query: the medians across rounds of each gateway, and each as a ratio to stock
 * @apollo/gateway (RPS above 1× is better; latency and CPU below 1× are better). `requests` is
 * the total answered over all rounds: with a few dozen, p99 is the slowest one or two answers
 * and CPU per request is made of 10 ms clock ticks, so read those figures as rough.
 */
export function printQueryTable(
  query: string,
  stock: string,
  byGateway: Map<string, Sample[]>,
  problems: Map<string, string>,
): void {
  const base = summarise(byGateway.get(stock) ?? []);
  console.log(`\n${query}`);
  console.log(
    "| gateway | requests | RPS | p50 ms | p99 ms | CPU ms/req | +subgraphs CPU ms/req | RPS vs stock | p50 vs stock | p99 vs stock | CPU vs stock | +subgraphs CPU vs stock |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [gateway, samples] of byGateway) {
    const problem = problems.get(gateway);
    if (problem) {
      console.log(`| ${gateway} | not measured: ${problem} |`);
      continue;
    }
    const s = summarise(samples);
    const failed = s.failures > 0 ? ` (${s.failures} failed)` : "";
    console.log(
      `| ${gateway}${failed} | ${s.requests} | ${fixed(s.rps, 0)} | ${fixed(s.p50, 1)} | ${fixed(s.p99, 1)} | ${fixed(s.cpu, 2)} | ${fixed(s.totalCpu, 2)} | ` +
        `${ratio(s.rps, base.rps)} | ${ratio(s.p50, base.p50)} | ${ratio(s.p99, base.p99)} | ${ratio(s.cpu, base.cpu)} | ${ratio(s.totalCpu, base.totalCpu)} |`,
    );
  }
}
