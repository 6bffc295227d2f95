import { randomUUID } from "node:crypto";
import neo4j from "neo4j-driver";
import { Neo4jDevServer } from "@lotgraph/tests/support/neo4j-dev-server";
import { Neo4jGenealogyStore, loadNeo4jConfig } from "@lotgraph/traceability/genealogy";
import {
  DEPTH,
  SAMPLES,
  bfs,
  bfsTimes,
  check,
  figures,
  loadRates,
  mean,
  ms,
  percentile,
  progress,
  rss,
  seconds,
  traceCases,
  type Plant,
} from "./genealogy.ts";
import { measureGateway } from "./genealogy-gateway.ts";

/** Lots (and the edges into them) per Neo4j write transaction of the bulk load. */
const BATCH = 10_000;
/** Events applied one at a time through the projection's path, for its rate. */
const LIVE_EVENTS = Number(process.env.BENCH_NEO4J_LIVE_EVENTS ?? 2_000);

/**
 * The plant in Neo4j: a server of the bench's own (infra/neo4j-dev, fresh data, BENCH_NEO4J_HEAP
 * and BENCH_NEO4J_PAGECACHE_MB), loaded in bulk with UNWIND batches as an import would, then
 * `trace` through the store and through the gateway, and the projection's one-event-at-a-time
 * rate (what a rebuild or a backlog runs at) on top of the loaded graph.
 */
export async function measureNeo4j(plant: Plant): Promise<void> {
  const memory = {
    heap: process.env.BENCH_NEO4J_HEAP ?? "2g",
    pageCacheMb: Number(process.env.BENCH_NEO4J_PAGECACHE_MB ?? 1024),
  };
  console.log(`Neo4j: starting a server (heap ${memory.heap}, page cache ${memory.pageCacheMb} MiB)…`);
  const server = await Neo4jDevServer.launch(memory);
  console.log(`  ${server.readyLine}`);
  const store = await Neo4jGenealogyStore.connect(loadNeo4jConfig(server.env)!);
  try {
    const loadStarted = performance.now();
    await bulkLoad(server.uri, plant);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    loadRates.push({
      store: "Neo4j",
      how: "UNWIND batches",
      lotsPerSecond: plant.ids.length / loadSeconds,
      seconds: loadSeconds,
    });
    console.log(
      `Neo4j: loaded ${plant.ids.length} lots + ${plant.children.length} edges in ${loadSeconds.toFixed(1)} s ` +
        `(${Math.round(plant.ids.length / loadSeconds)} lots/s), bench RSS ${rss()}, server ${await serverRss(server)}`,
    );
    const depth = new Int32Array(plant.ids.length).fill(-1);
    for (const { direction, roots, graph } of traceCases(plant)) {
      const floor = bfsTimes(plant, graph, roots);
      for (const root of roots.slice(0, 20)) await store.trace(plant.ids[root]!, direction, DEPTH); // warm-up
      const times: number[] = [];
      for (const root of roots.slice(0, SAMPLES)) {
        const t = performance.now();
        const result = await store.trace(plant.ids[root]!, direction, DEPTH);
        times.push(performance.now() - t);
        check(result, bfs(graph, root, DEPTH, depth), "Neo4j");
      }
      const [p50, p95] = [percentile(times, 50), percentile(times, 95)];
      const [bfsP50, bfsP95] = [percentile(floor.times, 50), percentile(floor.times, 95)];
      console.log(
        `  ${direction} ${DEPTH} levels, ${roots.length} roots, ${Math.round(mean(floor.sizes))} nodes+edges on average: ` +
          `Neo4j store p50 ${ms(p50)}  p95 ${ms(p95)}  (BFS p95 ${ms(bfsP95)}, ratio ${(p95 / bfsP95).toFixed(0)}×)`,
      );
      figures.push({ store: "Neo4j", path: "store", direction, p50, p95, bfsP50, bfsP95 });
    }
    await measureGateway("Neo4j", server.env, plant);
    await liveRate(store, plant);
    console.log(`  server after the run: ${await serverRss(server)}`);
  } finally {
    await store.close();
    await server.dispose();
  }
}

/** Lots in batches, each batch with the edges into its lots (parents come in earlier stages). */
async function bulkLoad(uri: string, plant: Plant): Promise<void> {
  const driver = neo4j.driver(uri, neo4j.auth.basic("neo4j", "auth-is-off"));
  const session = driver.session({ database: "neo4j" });
  const started = performance.now();
  try {
    const total = plant.ids.length;
    const createdAt = "2026-01-01T00:00:00Z";
    const material = "00000000-0000-4000-8000-000000000001";
    let edge = 0;
    for (let first = 0; first < total; first += BATCH) {
      const last = Math.min(total, first + BATCH);
      const raw = first < plant.stageStart[1]!;
      const lots = plant.ids.slice(first, last).map((id, i) => ({
        id,
        code: `L-${first + i + 1}`,
        supplierLotCode: raw ? `S-${first + i + 1}` : null,
      }));
      await session.executeWrite((tx) =>
        tx.run(
          `UNWIND $lots AS l
           CREATE (:Lot {lotId: l.id, code: l.code, materialId: $material, createdAt: datetime($createdAt),
                         supplierLotCode: l.supplierLotCode})`,
          { lots, material, createdAt },
        ),
      );
      const edges: Array<{ p: string; c: string }> = [];
      while (edge < plant.children.length && plant.children[edge]! < last) {
        edges.push({ p: plant.ids[plant.parents[edge]!]!, c: plant.ids[plant.children[edge]!]! });
        edge++;
      }
      if (edges.length > 0) {
        // As in the SQL load, the run id is a stand-in: one run per child lot, named after it.
        await session.executeWrite((tx) =>
          tx.run(
            `UNWIND $edges AS e
             MATCH (p:Lot {lotId: e.p}) USING INDEX SEEK p:Lot(lotId)
             MATCH (c:Lot {lotId: e.c}) USING INDEX SEEK c:Lot(lotId)
             CREATE (p)-[:PARENT_OF {quantity: '1.500000', runId: e.c, createdAt: timestamp()}]->(c)`,
            { edges },
          ),
        );
      }
      progress(last, total, started);
    }
    process.stderr.write("\n");
  } finally {
    await session.close();
    await driver.close();
  }
}

/**
 * The projection's path: one event per Neo4j transaction (lock, writes, commit), each run
 * consuming two loaded lots and making one new lot. Written after the traces: it adds edges.
 */
async function liveRate(store: Neo4jGenealogyStore, plant: Plant): Promise<void> {
  const started = performance.now();
  let events = 0;
  for (let i = 0; events < LIVE_EVENTS; i++) {
    const run = randomUUID();
    const made = randomUUID();
    const inputs = [plant.ids[(i * 7) % plant.ids.length]!, plant.ids[(i * 13 + 1) % plant.ids.length]!];
    for (const step of ["output", ...inputs] as const) {
      const event = await store.beginEvent();
      try {
        if (step === "output") {
          await event.upsertLot({ lotId: made, code: `LIVE-${i}`, materialId: randomUUID(), createdAt: new Date() });
          await event.recordRunOutput(run, made);
        } else await event.recordRunInput(run, step, "1", randomUUID());
        await event.commit();
      } finally {
        await event.close();
      }
      events++;
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `  projection path: ${events} events one transaction each in ${seconds(started)} s ` +
      `(${Math.round(events / elapsed)} events/s)`,
  );
  loadRates.push({
    store: "Neo4j",
    how: `projection path, one event per transaction (${events} events; lots/s = events/s)`,
    lotsPerSecond: events / elapsed,
    seconds: elapsed,
  });
}

/** The launched server's resident memory, read from /proc (Linux). */
async function serverRss(server: Neo4jDevServer): Promise<string> {
  const pid = await server.pid();
  if (!pid) return "RSS unknown";
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Number.isFinite(kb) ? `RSS ${Math.round(kb / 1024)} MiB` : "RSS unknown";
}
