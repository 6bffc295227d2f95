import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { benchModes, startBenchStack, type Mode } from "./bench-stack.ts";
import { percentile } from "./genealogy.ts";

/** Queries measured per case and mode, split over the rounds (BENCH_QUERIES, default 2,000). */
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
/** Rounds: each case gets a fresh stack per round, the cases alternating (BENCH_ROUNDS, default 2). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Unmeasured queries on each new stack first (JIT, caches, connection pools). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);

/** A cross-subgraph query: the lot and its material from inventory, its holds from quality. */
const QUERY = `query ObservabilityBench($id: ID!) {
  lot(id: $id) { code material { sku } qualityStatus holds { reason } }
}`;

/**
 * One configuration to measure: variables set in this process's environment (where tracing reads
 * them, as OpenTelemetry's SDK does) and in the stack's.
 */
interface Case {
  name: string;
  env: (collector: Collector) => Record<string, string>;
}

/** Everything observed: the OTLP exporter sends every span, and the queue never drops one. */
const tracingOn = (collector: Collector) => ({
  // Every request sampled (the SDK's default sampler) and every span exported over OTLP/HTTP
  // protobuf, the specification's default, to a collector in this process that only reads the
  // bodies. The queue is raised so that no span is dropped: the SDK's default (2,048) drops
  // spans at this rate, which would make tracing look cheaper than it is.
  OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
  OTEL_BSP_MAX_QUEUE_SIZE: "200000",
});
/** The metrics server on a free port: every request counted and timed (nobody scrapes). */
const metricsOn = { LOTGRAPH_METRICS_PORT: "0" };

/** The first case is the base the others are compared with: nothing observed. */
const CASES: Case[] = [
  { name: "all off", env: () => ({}) },
  // Issue 22's target: under 5 % over "all off" with tracing off (metrics are on in production).
  { name: "metrics on", env: () => metricsOn },
  { name: "tracing on", env: tracingOn },
  { name: "metrics+tracing", env: (collector) => ({ ...metricsOn, ...tracingOn(collector) }) },
];

/**
 * `npm run bench -- observability-overhead`: what metrics and tracing add to the gateway's request
 * latency. For each mode (BENCH_MODES; services needs DATABASE_URL/NATS_URL), each case runs the
 * same cross-subgraph query one at a time through the all-in-one's gateway on a fresh stack per
 * round, cases alternating, and prints p50/p95 and CPU per request for each case and the
 * difference from "all off". Target (issue 22): "metrics on" under 5 % over "all off".
 */
export async function main(): Promise<void> {
  const collector = await Collector.start();
  try {
    for (const mode of benchModes()) {
      const samples = new Map<string, Sample[]>(CASES.map((c) => [c.name, []]));
      for (let round = 0; round < ROUNDS; round++)
        for (const benchCase of CASES)
          samples.get(benchCase.name)!.push(await measure(mode, benchCase, collector, QUERIES / ROUNDS));
      report(mode, samples, collector);
    }
  } finally {
    await collector.close();
  }
}

/** Latencies of one case (ms), and the process's CPU per query (ms: the stack and this client share it). */
interface Sample {
  times: number[];
  cpuMs: number;
}

async function measure(mode: Mode, benchCase: Case, collector: Collector, queries: number): Promise<Sample> {
  const env = benchCase.env(collector);
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const stack = await startBenchStack(mode, env);
    try {
      const site = await stack.id("createLocation", "location", { code: "SITE", name: "Plant", kind: "SITE" });
      const materialId = await stack.id("createMaterial", "material", {
        sku: "FLOUR",
        name: "Flour",
        uom: "kg",
        kind: "RAW",
        tracking: "LOT",
      });
      const id = await stack.id("receiveLot", "lot", { code: "F-1", materialId, quantity: "100", locationId: site });
      const query = () => stack.gql(stack.token, QUERY, { id });
      for (let i = 0; i < WARMUP; i++) await query();
      const times: number[] = [];
      // CPU, beside wall time: on a machine shared with other work, load moves latency far more.
      const cpu = process.cpuUsage();
      for (let i = 0; i < queries; i++) {
        const started = performance.now();
        await query();
        times.push(performance.now() - started);
      }
      const used = process.cpuUsage(cpu);
      return { times, cpuMs: (used.user + used.system) / 1000 / queries };
    } finally {
      await stack.stop();
    }
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function report(mode: Mode, samples: Map<string, Sample[]>, collector: Collector): void {
  const figures = [...samples].map(([name, of]) => {
    const times = of.flatMap((sample) => sample.times);
    const cpu = of.reduce((sum, sample) => sum + sample.cpuMs, 0) / of.length;
    return { name, n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), cpu };
  });
  const base = figures[0]!;
  const diff = (value: number, from: number) =>
    `${value >= from ? "+" : ""}${(((value - from) / from) * 100).toFixed(1)} %`;
  console.log(`\ngateway request latency, ${mode} mode (${QUERY.split("(")[0]}, ${ROUNDS} rounds)`);
  for (const { name, n, p50, p95, cpu } of figures)
    console.log(
      `  ${name.padEnd(16)} p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  CPU ${cpu.toFixed(2)} ms/request` +
        `   vs ${base.name}: p50 ${diff(p50, base.p50)}, p95 ${diff(p95, base.p95)}, CPU ${diff(cpu, base.cpu)}   n=${n}`,
    );
  console.log(`  collector: ${collector.exports} OTLP exports received, ${(collector.bytes / 2 ** 20).toFixed(1)} MiB`);
  console.log(
    `  load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(" ")} on ${cpus().length} cores`,
  );
}

/** An OTLP/HTTP endpoint that accepts and counts exports without decoding them. */
class Collector {
  exports = 0;
  bytes = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Collector> {
    const server = createServer();
    const collector = new Collector(server);
    server.on("request", (req, res) => {
      req.on("data", (chunk: Buffer) => (collector.bytes += chunk.length));
      req.on("end", () => {
        collector.exports++;
        res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return collector;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
