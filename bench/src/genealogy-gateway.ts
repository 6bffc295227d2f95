import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLotgraph } from "@lotgraph/lotgraph";
import { TestClient } from "@lotgraph/tests/support/graphql-client";
import { DEPTH, bfs, bfsTimes, figures, percentile, ms, seconds, traceCases, type Plant } from "./genealogy.ts";

/** Traces per direction through the gateway: each is a whole HTTP request, so fewer than the store's. */
const GATEWAY_SAMPLES = Number(process.env.BENCH_GATEWAY_SAMPLES ?? 100);

const TRACE = `query ($lotId: ID!, $direction: TraceDirection!, $maxDepth: Int) {
  trace(lotId: $lotId, direction: $direction, maxDepth: $maxDepth) {
    nodes { depth lot { id } }
    edges { parent { id } child { id } quantity }
    truncated
  }
}`;

type TraceData = {
  trace: { nodes: Array<{ depth: number }>; edges: unknown[]; truncated: boolean };
};

/**
 * `trace` through the whole stack: an all-in-one Lotgraph in embedded mode (never the services
 * databases: `env` names where the genealogy is, a data directory or a Neo4j server), a signed-in
 * admin, and the gateway's HTTP endpoint, as an ERP integration would call it. Each answer's
 * counts are checked against BFS.
 */
export async function measureGateway(label: string, env: Record<string, string>, plant: Plant): Promise<void> {
  const { DATABASE_URL: _db, NATS_URL: _nats, ...rest } = process.env;
  // Never the user's own data directory: a fresh one unless `env` brings the loaded plant's.
  const scratch = env.LOTGRAPH_DATA_DIR ? null : await mkdtemp(join(tmpdir(), "lotgraph-bench-gateway-"));
  const started = performance.now();
  const lotgraph = await startLotgraph({
    env: {
      ...Object.fromEntries(Object.entries(rest).filter(([name]) => !name.startsWith("NEO4J_"))),
      LOTGRAPH_ADMIN_PASSWORD: `bench-${randomBytes(6).toString("hex")}`,
      LOG_LEVEL: "warn",
      ...(scratch ? { LOTGRAPH_DATA_DIR: scratch } : {}),
      ...env,
    },
    gatewayPort: 0,
    subgraphPorts: "ephemeral",
    web: false,
    quiet: true,
  });
  console.log(`  gateway over ${label}: Lotgraph up in ${seconds(started)} s`);
  try {
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const depth = new Int32Array(plant.ids.length).fill(-1);
    for (const { direction, roots, graph } of traceCases(plant)) {
      const sampled = roots.slice(0, GATEWAY_SAMPLES);
      const floor = bfsTimes(plant, graph, roots);
      const call = (root: number) =>
        admin.expectData<TraceData>(TRACE, { lotId: plant.ids[root]!, direction, maxDepth: DEPTH });
      for (const root of sampled.slice(0, 10)) await call(root); // warm-up
      const times: number[] = [];
      for (const root of sampled) {
        const t = performance.now();
        const { trace } = await call(root);
        times.push(performance.now() - t);
        const want = bfs(graph, root, DEPTH, depth);
        if (
          trace.nodes.length !== want.nodes ||
          trace.edges.length !== want.edges ||
          trace.truncated !== want.truncated
        )
          throw new Error(`trace through the gateway (${label}) disagrees with BFS for ${plant.ids[root]}`);
      }
      const [p50, p95] = [percentile(times, 50), percentile(times, 95)];
      const [bfsP50, bfsP95] = [percentile(floor.times, 50), percentile(floor.times, 95)];
      console.log(
        `    ${direction}: through the gateway p50 ${ms(p50)}  p95 ${ms(p95)}  (${sampled.length} traces, ` +
          `ratio p95/BFS p95 ${(p95 / bfsP95).toFixed(0)}×)`,
      );
      figures.push({ store: label, path: "gateway", direction, p50, p95, bfsP50, bfsP95 });
    }
  } finally {
    await lotgraph.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
