/**
 * The exposure of random plants (test/exposure-plants.ts) against an oracle that works it out
 * another way from what the plant did (test/exposure-oracle.ts), every lot, serial and customer
 * figure compared as the API prints it. Many plants read as rows in memory (the allocation and
 * the report); fewer through the real projection into the real store, read back with the
 * service's own reads: PGlite always, PostgreSQL with DATABASE_URL, the graph in Neo4j with
 * NEO4J_URI (the facts then stay in SQL, as in services mode). Projecting costs ~25 ms an event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@lotgraph/kit";
import { computeExposure, type ExposureReads } from "../src/domain/exposure/index.ts";
import { SqlExposureReads } from "../src/facts/sql-exposure-reads.ts";
import { loadNeo4jConfig } from "../src/genealogy/neo4j/neo4j-config.ts";
import { Neo4jGenealogyStore } from "../src/genealogy/neo4j/neo4j-genealogy-store.ts";
import type { GenealogyStore } from "../src/genealogy/port/genealogy-store.ts";
import { SqlGenealogyStore } from "../src/genealogy/sql/sql-genealogy-store.ts";
import { applyOrPark, type ProjectionGraph } from "../src/projection/projection.ts";
import { plantReads, randomPlant, type RandomPlant } from "./exposure-plants.ts";
import { oracleExposure } from "./exposure-oracle.ts";
import { openTraceDb, testTargets, type TraceDb } from "./support.ts";

const logger = createLogger("silent", "test");
const neo4jConfig = loadNeo4jConfig(process.env);
/** Seeds 1..n; a failure names its seed, and `randomPlant(seed)` makes that plant again. */
const PLANTS_IN_MEMORY = 200;
const PLANTS_PER_STORE = 6;

interface Target {
  name: string;
  plants: number;
  open(): Promise<{
    db: TraceDb;
    graph: ProjectionGraph;
    genealogy: GenealogyStore;
    /** The plants projected so far (Neo4j removes them after). */
    plants: RandomPlant[];
    close(): Promise<void>;
  }>;
}

const targets: Target[] = [
  ...testTargets().map(({ name, target }) => ({
    name: `${name}, graph in SQL`,
    plants: PLANTS_PER_STORE,
    async open() {
      const db = await openTraceDb(target());
      return {
        db,
        graph: { kind: "sql" } as const,
        genealogy: new SqlGenealogyStore(db.client),
        plants: [],
        close: () => db.close(),
      };
    },
  })),
  ...(neo4jConfig
    ? [
        {
          name: "PGlite, graph in Neo4j",
          plants: PLANTS_PER_STORE,
          async open() {
            const db = await openTraceDb({ kind: "pglite", dataDir: null });
            const store = await Neo4jGenealogyStore.connect(neo4jConfig);
            const plants: RandomPlant[] = [];
            return {
              db,
              graph: { kind: "neo4j", store } as const,
              genealogy: store,
              plants,
              async close() {
                // The run's Neo4j database is shared with the suites beside this one.
                await store.deleteForTests(
                  plants.flatMap((p) => p.lots.map((l) => l.lotId)),
                  plants.flatMap((p) => p.runs.map((r) => r.runId)),
                );
                await store.close();
                await db.close();
              },
            };
          },
        },
      ]
    : []),
];

describe("exposure of random plants against the path oracle (rows in memory)", () => {
  it(`matches the oracle on ${PLANTS_IN_MEMORY} plants, every figure as printed`, async () => {
    const shapes = { runs: 0, multiRunLots: 0, mixedUnitRuns: 0, customers: 0, deepest: 0 };
    for (let seed = 1; seed <= PLANTS_IN_MEMORY; seed++) {
      const plant = randomPlant(seed);
      await expectOracle(plant, plantReads(plant), seed <= PLANTS_IN_MEMORY / 10);
      tally(shapes, plant, oracleExposure(plant));
    }
    // The plants exercise what they are for (a generator gone flat would pass vacuously).
    expect(shapes.runs).toBeGreaterThan(PLANTS_IN_MEMORY * 4);
    expect(shapes.multiRunLots).toBeGreaterThan(PLANTS_IN_MEMORY / 10);
    expect(shapes.mixedUnitRuns).toBeGreaterThan(PLANTS_IN_MEMORY / 10);
    expect(shapes.customers).toBeGreaterThan(PLANTS_IN_MEMORY);
    expect(shapes.deepest).toBeGreaterThanOrEqual(5);
  });
});

describe.each(targets)("exposure of random plants against the path oracle ($name)", (target) => {
  let opened: Awaited<ReturnType<Target["open"]>>;

  beforeAll(async () => {
    opened = await target.open();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it(`matches the oracle on ${target.plants} plants projected from their events`, { timeout: 300_000 }, async () => {
    const reads = new SqlExposureReads(opened.db.client, opened.genealogy);
    for (let seed = 1; seed <= target.plants; seed++) {
      const plant = randomPlant(seed);
      opened.plants.push(plant);
      for (const event of plant.events)
        expect(await opened.db.transaction((tx) => applyOrPark(tx, event, logger, opened.graph))).toBe(true);
      await expectOracle(plant, reads, true);
    }
  });
});

/**
 * From the plant's sources and, with `everyLot`, from each of its lots alone: more runs lie
 * between a source and what it reaches (cheap next to projecting the plant).
 */
async function expectOracle(plant: RandomPlant, reads: ExposureReads, everyLot: boolean) {
  const singles = everyLot ? plant.lots.map((lot) => [lot.lotId]) : [];
  for (const sources of [plant.sources, ...singles])
    expect(await computeExposure(reads, sources), `plant ${plant.seed} from ${sources.join(", ")}`).toEqual(
      oracleExposure(plant, sources),
    );
}

function tally(
  shapes: { runs: number; multiRunLots: number; mixedUnitRuns: number; customers: number; deepest: number },
  plant: RandomPlant,
  exposure: ReturnType<typeof oracleExposure>,
) {
  const uom = new Map(plant.lots.map((l) => [l.lotId, l.uom]));
  const producers = new Map<string, Set<string>>();
  for (const run of plant.runs)
    for (const o of run.outputs) producers.set(o.lotId, (producers.get(o.lotId) ?? new Set()).add(run.runId));
  shapes.runs += plant.runs.length;
  shapes.multiRunLots += [...producers.values()].filter((runs) => runs.size > 1).length;
  shapes.mixedUnitRuns += plant.runs.filter(
    (r) => new Set(r.consumptions.map((c) => uom.get(c.lotId))).size > 1,
  ).length;
  shapes.customers += exposure.customers.length;
  shapes.deepest = Math.max(shapes.deepest, ...exposure.lots.map((l) => l.depth));
}
