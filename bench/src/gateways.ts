import { loadavg } from "node:os";
import { TokenService } from "@lotgraph/kit";
import type { LoadRequest, LoadResult } from "./gateways-load.ts";
import { cpuMs, freePort, machineTicks, stopAll, type Launched } from "./gateways-processes.ts";
import { QUERIES, ask, type BenchQuery } from "./gateways-queries.ts";
import { printQueryTable, type Sample } from "./gateways-report.ts";
import { seedPlant, waitForGenealogy, type SeededPlant } from "./gateways-seed.ts";
import { startAllInOne, startInstallation, startReporting, type Installation } from "./gateways-stack.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const STOCK = "stock @apollo/gateway";

interface Gateway {
  name: string;
  url: string;
  launched: Launched;
}

/**
 * `npm run bench -- gateways`: Lotgraph's gateway against stock @apollo/gateway (in Apollo Server
 * 5), Hive Gateway and Hive Gateway with its Rust query planner, all over the same five subgraph
 * processes, and the all-in-one process (subgraphs in-process) on the same data. Four queries on
 * a seeded plant of 200 lots; BENCH_CONNECTIONS connections (default 20), each with a caller of
 * its own; BENCH_ROUNDS rounds (default 3) of BENCH_SECONDS seconds (default 3) per gateway and
 * query, interleaved (each round and query starts with a different gateway), medians printed
 * with ratios to stock. CPU per request is the gateway process's own, from /proc. Needs
 * DATABASE_URL and NATS_URL (services mode); a peer that cannot run is reported and left out.
 * BENCH_GATEWAY_CPU_PROF=<dir> writes a V8 CPU profile of Lotgraph's gateway process (seeding included).
 */
export async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const natsUrl = process.env.NATS_URL;
  if (!databaseUrl || !natsUrl) {
    console.log(
      "gateways skipped: set DATABASE_URL and NATS_URL (it runs the subgraphs as processes, in services mode)",
    );
    return;
  }
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const started = performance.now();
  const installation = await startInstallation(databaseUrl, natsUrl);
  try {
    await run(installation);
  } finally {
    await stopAll();
    await installation.dispose();
    console.log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(`whole bench: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function run(installation: Installation): Promise<void> {
  const tokens = new TokenService(installation.secret);
  const seeder = await tokens.sign(
    { id: "service:bench-seed", name: "Bench seed", kind: "service-account", roles: ["ADMIN"] },
    3600,
  );
  const seedStarted = performance.now();
  const plant = await seedPlant(installation.gatewayUrl, seeder);
  await waitForGenealogy(installation.gatewayUrl, seeder, plant);
  console.log(
    `seeded ${plant.lots} lots in 3 levels through the gateway in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );
  // One caller per connection: no gateway can share one connection's in-flight request with another's.
  const callers = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) =>
      tokens.sign(
        { id: `service:bench-reader-${i}`, name: `Bench reader ${i}`, kind: "service-account", roles: ["VIEWER"] },
        3600,
      ),
    ),
  );
  const { gateways, notes } = await startGateways(installation);
  for (const note of notes) console.log(note);
  const load = await startReporting("load", "gateways-load.ts", [], process.env);
  const problems = await checkAnswers(gateways, callers[0]!, plant);
  const measure = loadRunner(load.launched, installation);
  const requestFor = (query: BenchQuery, url: string, seconds: number): LoadRequest => ({
    url,
    seconds,
    perConnection: callers.map((token, i) => ({
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: query.query, variables: query.variables(plant, i) }),
    })),
  });
  const measurable = (g: Gateway, q: BenchQuery) => !problems.get(q.name)?.has(g.name);
  console.log(`warming up: ${WARMUP_SECONDS} s per gateway and query`);
  for (const query of WARMUP_SECONDS > 0 ? QUERIES : [])
    for (const gateway of gateways.filter((g) => measurable(g, query)))
      await measure(gateway, requestFor(query, gateway.url, WARMUP_SECONDS));
  const samples = new Map(QUERIES.map((q) => [q.name, new Map(gateways.map((g) => [g.name, [] as Sample[]]))]));
  const machineBefore = await machineTicks();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [q, query] of QUERIES.entries()) {
      const shift = (round + q) % gateways.length;
      for (const gateway of [...gateways.slice(shift), ...gateways.slice(0, shift)]) {
        if (!measurable(gateway, query)) continue;
        samples
          .get(query.name)!
          .get(gateway.name)!
          .push(await measure(gateway, requestFor(query, gateway.url, SECONDS)));
      }
    }
    console.log(`round ${round + 1}/${ROUNDS} done`);
  }
  const machineAfter = await machineTicks();
  console.log(
    `\n${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s per gateway and query, medians; machine CPU busy ${(
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
      100
    ).toFixed(0)} % over the rounds`,
  );
  for (const query of QUERIES) printQueryTable(query.name, STOCK, samples.get(query.name)!, problems.get(query.name)!);
}

/** Stock is required (every ratio is to it); any other peer that cannot start is noted and left out. */
async function startGateways(installation: Installation): Promise<{ gateways: Gateway[]; notes: string[] }> {
  const gateways: Gateway[] = [];
  const notes: string[] = [];
  const peers: Array<{ name: string; file: string; args: string[] }> = [
    { name: STOCK, file: "gateways-peer.ts", args: ["apollo"] },
    { name: "Lotgraph gateway", file: "", args: [] },
    { name: "Hive Gateway", file: "gateways-peer.ts", args: ["hive"] },
    { name: "Hive Gateway + Rust planner", file: "gateways-peer.ts", args: ["hive-rust"] },
    { name: "Lotgraph all-in-one", file: "", args: [] },
  ];
  for (const peer of peers) {
    if (peer.name === "Lotgraph gateway") {
      gateways.push({ name: peer.name, url: installation.gatewayUrl, launched: installation.gateway });
      continue;
    }
    const port = await freePort();
    try {
      if (peer.name === "Lotgraph all-in-one") {
        const launched = await startAllInOne(installation, port);
        gateways.push({ name: peer.name, url: `http://127.0.0.1:${port}/graphql`, launched });
        continue;
      }
      const started = await startReporting(peer.name, peer.file, peer.args, {
        ...installation.env,
        PORT: String(port),
        LOTGRAPH_REPLICA_ID: `bench-${peer.args[0] ?? "all-in-one"}-${installation.namespace}`,
      });
      gateways.push({
        name: peer.name,
        url: started.url ?? `http://127.0.0.1:${port}/graphql`,
        launched: started.launched,
      });
    } catch (error) {
      if (peer.name === STOCK) throw error;
      notes.push(`${peer.name} could not run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { gateways, notes };
}

/**
 * Every gateway's answer to every query, before any load: a gateway that answers with errors is
 * left out of that query (an error is not a fast answer), and one whose data differs from
 * stock's is said so.
 */
async function checkAnswers(
  gateways: Gateway[],
  token: string,
  plant: SeededPlant,
): Promise<Map<string, Map<string, string>>> {
  const problems = new Map<string, Map<string, string>>();
  for (const query of QUERIES) {
    const byGateway = new Map<string, string>();
    let stockData: string | null = null;
    for (const gateway of gateways) {
      const answer = await ask(gateway.url, token, query, plant);
      if ("problem" in answer) {
        byGateway.set(gateway.name, answer.problem.slice(0, 300));
        continue;
      }
      const data = JSON.stringify(answer.data);
      if (gateway.name === STOCK) stockData = data;
      else if (stockData !== null && data !== stockData) {
        const how = sameUpToOrder(data, stockData) ? "the same data in another order" : "different data";
        console.log(`note: ${gateway.name} answers "${query.name}" with ${how} than stock`);
      }
    }
    problems.set(query.name, byGateway);
  }
  return problems;
}

/** Runs one measurement in the load process, reading the CPU time of the gateway and of the subgraphs around it. */
function loadRunner(load: Launched, installation: Installation) {
  return async (gateway: Gateway, request: LoadRequest): Promise<Sample> => {
    const subgraphCpu = async () =>
      (await Promise.all(installation.subgraphs.map((s) => cpuMs(s.pid)))).reduce((a, b) => a + b, 0);
    const before = { gateway: await cpuMs(gateway.launched.pid), subgraphs: await subgraphCpu() };
    const result = await new Promise<LoadResult>((resolve, reject) => {
      load.child.once("message", (m: { type: string; result?: LoadResult; message?: string }) =>
        m.type === "result" ? resolve(m.result!) : reject(new Error(m.message)),
      );
      load.child.send(request);
    });
    const gatewayCpu = (await cpuMs(gateway.launched.pid)) - before.gateway;
    const subgraphsCpu = (await subgraphCpu()) - before.subgraphs;
    return {
      ...result,
      cpuPerRequest: gatewayCpu / result.requests,
      totalCpuPerRequest: (gatewayCpu + subgraphsCpu) / result.requests,
    };
  };
}

/** Whether two answers hold the same values once every list is sorted (lists from a set have no set order). */
function sameUpToOrder(a: string, b: string): boolean {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value))
      return value.map(canonical).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
    return value;
  };
  return JSON.stringify(canonical(JSON.parse(a))) === JSON.stringify(canonical(JSON.parse(b)));
}
