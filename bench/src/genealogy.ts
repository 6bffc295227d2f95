import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database, type DatabaseTarget } from "@lotgraph/kit";
import { seededRandom, seededUuid } from "@lotgraph/tests/support/genealogy-graph";
import {
  CachedGenealogyStore,
  SqlGenealogyStore,
  type GenealogyStore,
  type TraceDirection,
  type TraceResult,
} from "@lotgraph/traceability/genealogy";
import { PrismaClient, type Prisma } from "@lotgraph/traceability/prisma";
import { measureGateway } from "./genealogy-gateway.ts";
import { measureNeo4j } from "./genealogy-neo4j.ts";

const LOTS = Number(process.env.BENCH_LOTS ?? 1_000_000);
const STAGES = Number(process.env.BENCH_STAGES ?? 11);
export const SEED = Number(process.env.BENCH_SEED ?? 1);
/** How far (in lots of the previous stage) a lot's parents lie from its own position; see plant(). */
const WINDOW = Number(process.env.BENCH_WINDOW ?? 8);
export const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
export const DEPTH = 10;
const BATCH = 20_000;
const MIGRATIONS = join(import.meta.dirname, "..", "..", "subgraphs", "traceability", "prisma", "migrations");

/** The genealogy in CSR form: lot i's children are down.targets[down.offsets[i] … down.offsets[i+1]). */
export interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
}

export interface Plant {
  ids: string[];
  index: Map<string, number>;
  /** first lot of each stage, plus the end */
  stageStart: number[];
  /** parent → child pairs, by child */
  parents: Int32Array;
  children: Int32Array;
  down: Csr;
  up: Csr;
}

/** One line of the summary table printed at the end. */
export interface Figure {
  store: string;
  path: "store" | "gateway";
  direction: TraceDirection;
  p50: number;
  p95: number;
  bfsP50: number;
  bfsP95: number;
}

/** Every trace figure of the run, and each store's load rate, for the summary table. */
export const figures: Figure[] = [];
export const loadRates: Array<{ store: string; how: string; lotsPerSecond: number; seconds: number }> = [];

/** The roots traced: finished lots UPSTREAM, raw lots DOWNSTREAM; the same for every store. */
export function traceCases(plant: Plant): Array<{ direction: TraceDirection; roots: number[]; graph: Csr }> {
  const random = seededRandom(SEED + 1);
  const sample = (stage: number) => {
    const start = plant.stageStart[stage]!;
    const size = plant.stageStart[stage + 1]! - start;
    return Array.from({ length: SAMPLES }, () => start + Math.floor(random() * size));
  };
  return [
    { direction: "UPSTREAM", roots: sample(STAGES - 1), graph: plant.up },
    { direction: "DOWNSTREAM", roots: sample(0), graph: plant.down },
  ];
}

/** In-process BFS over the CSR arrays: the floor every store is compared with. */
export function bfsTimes(plant: Plant, graph: Csr, roots: number[]): { times: number[]; sizes: number[] } {
  const depth = new Int32Array(plant.ids.length).fill(-1);
  for (const root of roots) bfs(graph, root, DEPTH, depth); // warm-up
  const times: number[] = [];
  const sizes: number[] = [];
  for (const root of roots) {
    const t = performance.now();
    const r = bfs(graph, root, DEPTH, depth);
    times.push(performance.now() - t);
    sizes.push(r.nodes + r.edges);
  }
  return { times, sizes };
}

/**
 * `npm run bench -- genealogy`: a BENCH_LOTS-lot genealogy in BENCH_STAGES stages, each lot of a
 * stage made from 2–3 lots of the stage before, loaded in bulk into the embedded SQL store
 * (PGlite; and PostgreSQL when DATABASE_URL is set) and into Neo4j (a server of its own from
 * infra/neo4j-dev, unless BENCH_NEO4J=0). For the SQL stores the CachedGenealogyStore's index is
 * built (time, RSS); then `trace` 10 levels deep, UPSTREAM from finished lots and DOWNSTREAM from
 * raw ones, is timed through each store, and through the gateway for PGlite (the embedded store
 * as the subgraph serves it) and Neo4j, each against BFS over the same graph in Int32Array CSR
 * in this process. Answers are checked against BFS. A summary table closes the run.
 */
export async function main(): Promise<void> {
  console.log(`genealogy: ${LOTS} lots, ${STAGES} stages, fan-in 2–3, window ±${WINDOW}, seed ${SEED}`);
  const started = performance.now();
  const plant = generate();
  console.log(
    `generated ${plant.ids.length} lots and ${plant.children.length} edges in ${seconds(started)} s, RSS ${rss()}`,
  );
  const targets: Array<{
    name: string;
    target: () => Promise<{ target: DatabaseTarget; dataDir: string | null; dispose(): Promise<void> }>;
  }> = [
    {
      name: "PGlite",
      target: async () => {
        const dir = await mkdtemp(join(tmpdir(), "lotgraph-bench-genealogy-"));
        // BENCH_PGLITE=memory keeps the database in memory, as the tests do (embedded mode: on disk).
        const inMemory = process.env.BENCH_PGLITE === "memory";
        return {
          // On disk it is laid out as an installation's data directory, for the gateway run.
          target: { kind: "pglite", dataDir: inMemory ? null : join(dir, "traceability") },
          dataDir: inMemory ? null : dir,
          dispose: () => rm(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const url = process.env.DATABASE_URL;
  if (url) {
    targets.push({
      name: "PostgreSQL",
      target: async () => {
        const schema = `bench_genealogy_${randomBytes(4).toString("hex")}`;
        return { target: { kind: "postgres", url, schema }, dataDir: null, dispose: () => dropSchema(url, schema) };
      },
    });
  } else console.log("PostgreSQL skipped: set DATABASE_URL to measure it");
  for (const { name, target } of targets) {
    const where = await target();
    try {
      await measure(name, where.target, plant);
      if (where.dataDir) await measureGateway(`${name} (cached)`, { LOTGRAPH_DATA_DIR: where.dataDir }, plant);
    } finally {
      await where.dispose();
    }
  }
  if (process.env.BENCH_NEO4J === "0") console.log("Neo4j skipped: BENCH_NEO4J=0");
  else await measureNeo4j(plant);
  printSummary(plant);
}

/**
 * Lot j of a stage takes its parents from around position j of the stage before (±WINDOW):
 * plants use materials in the order they arrive, so a raw lot feeds batches of a few days, not
 * of the whole year. Uniform choice would make every lot an ancestor of most finished goods
 * within a few stages, which no plant looks like.
 */
function generate(): Plant {
  const random = seededRandom(SEED);
  const perStage = Math.floor(LOTS / STAGES);
  const total = perStage * STAGES;
  const ids = Array.from({ length: total }, () => seededUuid(random));
  const index = new Map(ids.map((id, i) => [id, i]));
  const stageStart = Array.from({ length: STAGES + 1 }, (_, s) => s * perStage);
  const parents: number[] = [];
  const children: number[] = [];
  for (let stage = 1; stage < STAGES; stage++) {
    const from = stageStart[stage - 1]!;
    for (let j = 0; j < perStage; j++) {
      const fanIn = 2 + (random() < 0.5 ? 1 : 0);
      const chosen = new Set<number>();
      while (chosen.size < fanIn) {
        const offset = Math.round((random() * 2 - 1) * WINDOW);
        chosen.add(Math.min(perStage - 1, Math.max(0, j + offset)));
      }
      for (const p of chosen) {
        parents.push(from + p);
        children.push(stageStart[stage]! + j);
      }
    }
  }
  const p = Int32Array.from(parents);
  const c = Int32Array.from(children);
  return { ids, index, stageStart, parents: p, children: c, down: csr(total, p, c), up: csr(total, c, p) };
}

function csr(size: number, from: Int32Array, to: Int32Array): Csr {
  const offsets = new Int32Array(size + 1);
  for (const f of from) offsets[f + 1]!++;
  for (let i = 0; i < size; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, size);
  const targets = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) targets[fill[from[e]!]!++] = to[e]!;
  return { offsets, targets };
}

/** BFS with the store's semantics (depth per lot, edges inside, truncated); returns counts. */
export function bfs(graph: Csr, root: number, maxDepth: number, depth: Int32Array) {
  const visited = [root];
  depth[root] = 0;
  let edges = 0;
  let truncated = false;
  for (let head = 0; head < visited.length; head++) {
    const lot = visited[head]!;
    const d = depth[lot]!;
    for (let k = graph.offsets[lot]!; k < graph.offsets[lot + 1]!; k++) {
      const next = graph.targets[k]!;
      if (depth[next] === -1) {
        if (d === maxDepth) {
          truncated = true;
          continue;
        }
        depth[next] = d + 1;
        visited.push(next);
      }
      edges++;
    }
  }
  for (const lot of visited) depth[lot] = -1; // reset for the next sample, in O(result)
  return { nodes: visited.length, edges, truncated };
}

async function measure(name: string, target: DatabaseTarget, plant: Plant): Promise<void> {
  const db = await Database.open<PrismaClient, Prisma.TransactionClient>({
    target,
    migrationsDir: MIGRATIONS,
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  try {
    const loadStarted = performance.now();
    await load(db, plant);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    console.log(
      `${name}: loaded ${plant.ids.length} lots + ${plant.children.length} edges in ${loadSeconds.toFixed(1)} s ` +
        `(${Math.round(plant.ids.length / loadSeconds)} lots/s), RSS ${rss()}`,
    );
    loadRates.push({
      store: name,
      how: "bulk INSERT … unnest",
      lotsPerSecond: plant.ids.length / loadSeconds,
      seconds: loadSeconds,
    });
    const cases = traceCases(plant);
    const depth = new Int32Array(plant.ids.length).fill(-1);
    const sqlStore = new SqlGenealogyStore(db.client);
    // With NODE_OPTIONS=--expose-gc the heap figures exclude garbage not yet collected.
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    const before = process.memoryUsage();
    const cacheStarted = performance.now();
    const cache = new CachedGenealogyStore(sqlStore, db.driver, {
      onProgress: ({ edges, expectedEdges }) => progress(edges, expectedEdges || edges, cacheStarted, "edges"),
    });
    await cache.load();
    process.stderr.write("\n");
    collect?.();
    const after = process.memoryUsage();
    const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
    console.log(
      `  cache: ${cache.stats?.lots} lots + ${cache.stats?.edges} edges read from ${name} in ${seconds(cacheStarted)} s; ` +
        `typed arrays ${mib(cache.stats?.typedArrayBytes ?? 0)}, heap +${mib(after.heapUsed - before.heapUsed)}, ` +
        `array buffers +${mib(after.arrayBuffers - before.arrayBuffers)}, RSS ${rss()}`,
    );
    const stores: Array<{ label: string; store: GenealogyStore; samples: number; check: boolean }> = [
      { label: "cached store (index)", store: cache, samples: SAMPLES, check: true },
      { label: "SQL store (CTE)     ", store: sqlStore, samples: SAMPLES, check: false },
    ];
    for (const { direction, roots, graph } of cases) {
      const floor = bfsTimes(plant, graph, roots);
      const bfsP50 = percentile(floor.times, 50);
      const bfsP95 = percentile(floor.times, 95);
      console.log(
        `  ${direction} ${DEPTH} levels, ${roots.length} roots, ${Math.round(mean(floor.sizes))} nodes+edges on average\n` +
          `    in-process BFS (CSR): p50 ${ms(bfsP50)}  p95 ${ms(bfsP95)}`,
      );
      for (const { label, store, samples, check: checked } of stores) {
        for (const root of roots.slice(0, 20)) await store.trace(plant.ids[root]!, direction, DEPTH); // warm-up
        const times: number[] = [];
        for (const [i, root] of roots.slice(0, samples).entries()) {
          const t = performance.now();
          const result = await store.trace(plant.ids[root]!, direction, DEPTH);
          times.push(performance.now() - t);
          if (checked || i < 20) check(result, bfs(graph, root, DEPTH, depth), label.trim());
        }
        const p95 = percentile(times, 95);
        console.log(
          `    ${label}: p50 ${ms(percentile(times, 50))}  p95 ${ms(p95)}  ` +
            `ratio p95/BFS p95 ${(p95 / bfsP95).toFixed(1)}×`,
        );
        const storeName = `${name} ${label.trim().startsWith("cached") ? "(cached)" : "(CTE)"}`;
        figures.push({ store: storeName, path: "store", direction, p50: percentile(times, 50), p95, bfsP50, bfsP95 });
      }
    }
    console.log(`  RSS ${rss()}`);
  } finally {
    await db.close();
  }
}

/** The bench measures, but a fast wrong answer is no figure: the first samples are checked. */
export function check(
  result: TraceResult,
  want: { nodes: number; edges: number; truncated: boolean },
  strategy: string,
) {
  const got = { nodes: result.nodes.length, edges: result.edges.length, truncated: result.truncated };
  if (got.nodes !== want.nodes || got.edges !== want.edges || got.truncated !== want.truncated) {
    throw new Error(`trace (${strategy}) disagrees with BFS: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
  }
}

/**
 * The indexes of the migrations, dropped for the load and built again after it. Random uuids
 * inserted one by one into B-trees bigger than PGlite's buffer cache stalled a first 1M-lot
 * attempt past half-way (each insert evicting and reading a page); a sorted build takes seconds.
 */
const INDEXES = [
  {
    drop: "ALTER TABLE genealogy_lot DROP CONSTRAINT genealogy_lot_pkey",
    create: "ALTER TABLE genealogy_lot ADD CONSTRAINT genealogy_lot_pkey PRIMARY KEY (lot_id)",
  },
  {
    drop: "DROP INDEX genealogy_lot_supplier_lot_code_idx",
    create: "CREATE INDEX genealogy_lot_supplier_lot_code_idx ON genealogy_lot (supplier_lot_code)",
  },
  {
    drop: "ALTER TABLE genealogy_edge DROP CONSTRAINT genealogy_edge_pkey",
    create: "ALTER TABLE genealogy_edge ADD CONSTRAINT genealogy_edge_pkey PRIMARY KEY (parent_lot_id, child_lot_id)",
  },
  {
    drop: "DROP INDEX genealogy_edge_child_lot_id_parent_lot_id_idx",
    create:
      "CREATE INDEX genealogy_edge_child_lot_id_parent_lot_id_idx ON genealogy_edge (child_lot_id, parent_lot_id)",
  },
];

/**
 * Bulk load: multi-row INSERT … SELECT FROM unnest(arrays) in batches of lots with the edges into
 * them, straight into the tables (the projection's one-event-at-a-time path is for live events).
 */
async function load(db: Database<PrismaClient, Prisma.TransactionClient>, plant: Plant): Promise<void> {
  for (const index of INDEXES) await db.driver.exec(index.drop);
  const total = plant.ids.length;
  const started = performance.now();
  const material = "00000000-0000-4000-8000-000000000001";
  const createdAt = new Date("2026-01-01T00:00:00Z").toISOString();
  let edge = 0;
  for (let first = 0; first < total; first += BATCH) {
    const last = Math.min(total, first + BATCH);
    const lots = plant.ids.slice(first, last);
    const raw = first < plant.stageStart[1]!;
    await db.driver.query(
      `INSERT INTO genealogy_lot (lot_id, code, material_id, created_at, supplier_lot_code)
       SELECT id, 'L-' || n, $2::uuid, $3::timestamptz, CASE WHEN $4 THEN 'S-' || n END
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [lots, material, createdAt, raw],
    );
    const parents: string[] = [];
    const children: string[] = [];
    while (edge < plant.children.length && plant.children[edge]! < last) {
      parents.push(plant.ids[plant.parents[edge]!]!);
      children.push(plant.ids[plant.children[edge]!]!);
      edge++;
    }
    if (parents.length > 0) {
      // The run id is a stand-in: one run per child lot, named after it.
      await db.driver.query(
        `INSERT INTO genealogy_edge (parent_lot_id, child_lot_id, quantity, run_id)
         SELECT p, c, 1.5, c FROM unnest($1::uuid[], $2::uuid[]) AS t(p, c)`,
        [parents, children],
      );
    }
    progress(last, total, started);
  }
  process.stderr.write("\n");
  const indexing = performance.now();
  // Sorts of 2.3M edges fit in memory instead of spilling to PGlite's emulated file system.
  await db.driver.exec("SET maintenance_work_mem = '256MB'");
  for (const index of INDEXES) {
    // PGlite runs PostgreSQL single-user: no checkpointer process. Without a checkpoint between
    // them, the second edge index of a 1M-lot load (WAL past ~1 GB) stalled for 8+ minutes; with
    // one it builds in seconds.
    await db.driver.exec("CHECKPOINT");
    const t = performance.now();
    await db.driver.exec(index.create);
    process.stderr.write(`  ${index.create.split(" ").slice(0, 6).join(" ")}… ${seconds(t)} s\n`);
  }
  console.log(`  indexes built in ${seconds(indexing)} s`);
  // One statement each: VACUUM cannot run inside the implicit transaction of a multi-statement exec.
  await db.driver.exec("VACUUM ANALYZE genealogy_lot");
  await db.driver.exec("VACUUM ANALYZE genealogy_edge");
  await db.driver.exec("RESET maintenance_work_mem");
}

export function progress(done: number, total: number, started: number, unit = "lots"): void {
  const elapsed = (performance.now() - started) / 1000;
  const rate = done / elapsed;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
  const eta = rate > 0 ? (total - done) / rate : 0;
  process.stderr.write(
    `\r  loading [${bar}] ${done}/${total} ${unit}  ${Math.round(rate)} ${unit}/s  ETA ${eta.toFixed(0)} s   `,
  );
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
export const ms = (value: number) => `${value.toFixed(2)} ms`.padStart(10);
export const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
export const rss = () => `${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`;

/** The figures of the whole run as one table: each p50/p95 and its ratio to in-process BFS. */
function printSummary(plant: Plant): void {
  const ratio = (value: number, floor: number) => `${(value / floor).toFixed(0)}×`;
  console.log(`\nSummary: ${plant.ids.length} lots, ${plant.children.length} edges, trace ${DEPTH} levels`);
  console.log("| store | how loaded | lots/s | load time |");
  console.log("| --- | --- | ---: | ---: |");
  for (const l of loadRates)
    console.log(`| ${l.store} | ${l.how} | ${Math.round(l.lotsPerSecond)} | ${l.seconds.toFixed(0)} s |`);
  console.log("\n| store | through | direction | p50 | p95 | p50 / BFS | p95 / BFS |");
  console.log("| --- | --- | --- | ---: | ---: | ---: | ---: |");
  for (const f of figures)
    console.log(
      `| ${f.store} | ${f.path} | ${f.direction} | ${f.p50.toFixed(2)} ms | ${f.p95.toFixed(2)} ms | ` +
        `${ratio(f.p50, f.bfsP50)} | ${ratio(f.p95, f.bfsP95)} |`,
    );
  const floors = new Map(figures.map((f) => [f.direction, f]));
  for (const [direction, f] of floors)
    console.log(`in-process BFS ${direction}: p50 ${f.bfsP50.toFixed(3)} ms, p95 ${f.bfsP95.toFixed(3)} ms`);
}
