/**
 * GenealogyStore port conformance (DESIGN.md §2, §4.3, §4.4): one suite, run against every
 * adapter available. The embedded SQL store on PGlite always runs (with both of its trace
 * strategies); on PostgreSQL when DATABASE_URL is set; the Neo4j store when NEO4J_URI is set
 * (with NEO4J_USER and NEO4J_PASSWORD). Each is skipped otherwise, there being no server to reach.
 * Every test writes lots and runs with fresh random ids, so tests stay apart even in the one
 * shared Neo4j database; SQL stores get a database (PGlite in memory, PostgreSQL schema) per test.
 * Results are checked against plain BFS (tests/support/genealogy-oracle.ts) over the generated edges.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { Database, type DatabaseTarget } from "@lotgraph/kit";
import {
  Neo4jGenealogyStore,
  SqlGenealogyStore,
  loadNeo4jConfig,
  type GenealogyStore,
  type TraceDirection,
  type TraceStrategy,
} from "@lotgraph/traceability/genealogy";
import { PrismaClient, type Prisma } from "@lotgraph/traceability/prisma";
import {
  generateGenealogy,
  shuffledEvents,
  type GenealogyEvent,
  type GeneratedGenealogy,
} from "../support/genealogy-graph.ts";
import { edgeKey, oracleDescendants, oracleTrace, type Edge } from "../support/genealogy-oracle.ts";

const MIGRATIONS = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "subgraphs",
  "traceability",
  "prisma",
  "migrations",
);
const RUN = randomBytes(4).toString("hex");

/** A store for one test; `forget` removes what the test wrote where the database is shared. */
interface OpenStore {
  store: GenealogyStore;
  forget(lotIds: string[], runIds: string[]): Promise<void>;
}

type Opener = () => Promise<OpenStore>;

function sqlOpener(target: () => DatabaseTarget, traceStrategy: TraceStrategy): Opener {
  return async () => {
    const db = await Database.open<PrismaClient, Prisma.TransactionClient>({
      target: target(),
      migrationsDir: MIGRATIONS,
      createClient: (adapter) => new PrismaClient({ adapter }),
    });
    onTestFinished(() => db.close());
    return { store: new SqlGenealogyStore(db.client, { traceStrategy }), forget: async () => undefined };
  };
}

const pgSchemas: string[] = [];
const postgresUrl = process.env.DATABASE_URL;
const neo4jConfig = loadNeo4jConfig(process.env);
let neo4jStore: Promise<Neo4jGenealogyStore> | null = null;

afterAll(async () => {
  if (neo4jStore) await (await neo4jStore).close();
  if (postgresUrl && pgSchemas.length > 0) {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      for (const schema of pgSchemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
});

const adapters: Array<{ name: string; skip: string | null; open: Opener }> = [
  { name: "SQL (cte) on PGlite", skip: null, open: sqlOpener(() => ({ kind: "pglite", dataDir: null }), "cte") },
  {
    name: "SQL (frontier) on PGlite",
    skip: null,
    open: sqlOpener(() => ({ kind: "pglite", dataDir: null }), "frontier"),
  },
  {
    name: "SQL on PostgreSQL",
    skip: postgresUrl ? null : "DATABASE_URL is not set: no PostgreSQL server to reach",
    open: sqlOpener(() => {
      const schema = `conformance_genealogy_${RUN}_${pgSchemas.length + 1}`;
      pgSchemas.push(schema);
      return { kind: "postgres", url: postgresUrl ?? "", schema };
    }, "cte"),
  },
  {
    name: "Neo4j",
    skip: neo4jConfig ? null : "NEO4J_URI is not set: no Neo4j server to reach",
    open: async () => {
      if (!neo4jConfig) throw new Error("unreachable: skipped without NEO4J_URI");
      neo4jStore ??= Neo4jGenealogyStore.connect(neo4jConfig);
      const store = await neo4jStore;
      return { store, forget: (lots, runs) => store.deleteForTests(lots, runs) };
    },
  },
];

/** Feeds a run-level event to the store as the projection does. */
async function apply(store: GenealogyStore, event: GenealogyEvent) {
  return event.kind === "consumed"
    ? store.recordRunInput(event.runId, event.lotId, event.quantity, event.consumptionId)
    : store.recordRunOutput(event.runId, event.lotId);
}

/** The whole graph as the store returns it: "parent>child" → quantity, from every raw lot down. */
async function snapshot(store: GenealogyStore, roots: readonly string[]): Promise<Map<string, string | null>> {
  const edges = new Map<string, string | null>();
  for (const root of roots) {
    for (const e of (await store.trace(root, "DOWNSTREAM", 1000)).edges) {
      edges.set(edgeKey(e.parentLotId, e.childLotId), e.quantity);
    }
  }
  return sorted(edges);
}

function allLots(genealogy: GeneratedGenealogy): string[] {
  return genealogy.levels.flat();
}

/** Ties a test's ids to the adapter's cleanup. */
function forgetAfter(open: OpenStore, lots: string[], runs: string[]) {
  onTestFinished(() => open.forget(lots, runs));
}

/** A small graph fed link by link: each pair is one run consuming `parent` and outputting `child`. */
async function link(store: GenealogyStore, pairs: ReadonlyArray<Edge>, runs: string[]) {
  const results = [];
  for (const [parent, child] of pairs) {
    const run = randomUUID();
    runs.push(run);
    await store.recordRunInput(run, parent, "1", randomUUID());
    results.push(await store.recordRunOutput(run, child));
  }
  return results;
}

for (const adapter of adapters) {
  describe.skipIf(adapter.skip !== null)(
    `GenealogyStore: ${adapter.name}${adapter.skip ? ` (${adapter.skip})` : ""}`,
    () => {
      it("links every consumed lot to every output of a run, whatever the order of events", async () => {
        // Several plants, each fed in its own shuffled order (outputs often before consumptions).
        for (const seed of [1, 2, 3]) {
          const open = await adapter.open();
          const genealogy = generateGenealogy(100 + seed);
          forgetAfter(
            open,
            allLots(genealogy),
            genealogy.runs.map((r) => r.runId),
          );
          for (const event of shuffledEvents(genealogy, seed)) await apply(open.store, event);
          expect(await snapshot(open.store, genealogy.levels[0]!)).toEqual(sorted(genealogy.quantities));
        }
      });

      it("applies a replayed event once (same consumption id, same output)", async () => {
        const open = await adapter.open();
        const genealogy = generateGenealogy(202, 3);
        forgetAfter(
          open,
          allLots(genealogy),
          genealogy.runs.map((r) => r.runId),
        );
        const events = shuffledEvents(genealogy, 7);
        for (const event of events) await apply(open.store, event);
        const once = await snapshot(open.store, genealogy.levels[0]!);
        for (const event of events) await apply(open.store, event);
        expect(await snapshot(open.store, genealogy.levels[0]!)).toEqual(once);
        expect(once).toEqual(sorted(genealogy.quantities));
      });

      it("refuses a self-loop, a 2-cycle and a long cycle, and leaves the graph as it was", async () => {
        const open = await adapter.open();
        const chain = Array.from({ length: 8 }, () => randomUUID());
        const runs: string[] = [];
        forgetAfter(open, chain, runs);
        await link(
          open.store,
          chain.slice(1).map((child, i): Edge => [chain[i]!, child]),
          runs,
        );
        const before = await snapshot(open.store, [chain[0]!]);
        expect(before.size).toBe(7);
        const [selfLoop] = await link(open.store, [[chain[3]!, chain[3]!]], runs);
        const [twoCycle] = await link(open.store, [[chain[1]!, chain[0]!]], runs);
        const [longCycle] = await link(open.store, [[chain[7]!, chain[0]!]], runs);
        for (const result of [selfLoop, twoCycle, longCycle]) {
          expect(result?.linked).toBe(0);
          expect(result?.refusedCycles).toHaveLength(1);
        }
        expect(longCycle?.refusedCycles).toEqual([{ parentLotId: chain[7], childLotId: chain[0] }]);
        expect(await snapshot(open.store, [chain[0]!])).toEqual(before);
        expect((await open.store.parentsOf([chain[0]!])).get(chain[0]!) ?? []).toEqual([]);
      });

      it("refuses only the edges of a run that would close a cycle and links the others", async () => {
        const open = await adapter.open();
        const [a, b, c, x, y] = Array.from({ length: 5 }, () => randomUUID()) as [
          string,
          string,
          string,
          string,
          string,
        ];
        const [intoA, fromC] = [randomUUID(), randomUUID()];
        const runs = [intoA, fromC];
        forgetAfter(open, [a, b, c, x, y], runs);
        await link(
          open.store,
          [
            [a, b],
            [b, c],
          ],
          runs,
        );
        // A new output whose inputs are a fresh lot and c, a descendant of the output (a → b → c).
        await open.store.recordRunInput(intoA, x, "2", randomUUID());
        await open.store.recordRunInput(intoA, c, "3", randomUUID());
        const output = await open.store.recordRunOutput(intoA, a);
        expect(output.linked).toBe(1);
        expect(output.refusedCycles).toEqual([{ parentLotId: c, childLotId: a }]);
        // A consumed lot linked to its run's outputs: a fresh lot and a, an ancestor of the input c.
        await open.store.recordRunOutput(fromC, y);
        await open.store.recordRunOutput(fromC, a);
        const input = await open.store.recordRunInput(fromC, c, "4", randomUUID());
        expect(input.linked).toBe(1);
        expect(input.refusedCycles).toEqual([{ parentLotId: c, childLotId: a }]);
        expect((await open.store.parentsOf([a])).get(a)).toEqual([x]);
        expect((await open.store.parentsOf([y])).get(y)).toEqual([c]);
        const upstream = (await open.store.trace(y, "UPSTREAM", 10)).edges;
        expect(new Map(upstream.map((e) => [edgeKey(e.parentLotId, e.childLotId), Number(e.quantity)]))).toEqual(
          new Map([
            [edgeKey(c, y), 4],
            [edgeKey(b, c), 1],
            [edgeKey(a, b), 1],
            [edgeKey(x, a), 2],
          ]),
        );
      });

      it("gives each lot its fewest links on a diamond, both ways", async () => {
        const open = await adapter.open();
        // a → b → c → d and a → d: d is 1 link from a (not 3); e hangs below d.
        const [a, b, c, d, e] = Array.from({ length: 5 }, () => randomUUID()) as [
          string,
          string,
          string,
          string,
          string,
        ];
        const runs: string[] = [];
        forgetAfter(open, [a, b, c, d, e], runs);
        const pairs: Edge[] = [
          [a, b],
          [b, c],
          [c, d],
          [a, d],
          [d, e],
        ];
        await link(open.store, pairs, runs);
        const down = await open.store.trace(a, "DOWNSTREAM", 10);
        expect(depthMap(down.nodes)).toEqual(
          new Map([
            [a, 0],
            [b, 1],
            [d, 1],
            [c, 2],
            [e, 2],
          ]),
        );
        expect(down.edges).toHaveLength(5);
        expect(down.truncated).toBe(false);
        const up = await open.store.trace(e, "UPSTREAM", 10);
        expect(depthMap(up.nodes)).toEqual(
          new Map([
            [e, 0],
            [d, 1],
            [a, 2],
            [c, 2],
            [b, 3],
          ]),
        );
        // Exactly at the boundary: b is at depth 3, nothing beyond it.
        expect((await open.store.trace(e, "UPSTREAM", 3)).truncated).toBe(false);
        const cut = await open.store.trace(e, "UPSTREAM", 2);
        expect(cut.truncated).toBe(true);
        expect(depthMap(cut.nodes)).toEqual(
          new Map([
            [e, 0],
            [d, 1],
            [a, 2],
            [c, 2],
          ]),
        );
        // c → d has both ends inside even though d was reached from e first.
        expect(keys(cut.edges)).toEqual(new Set([edgeKey(d, e), edgeKey(a, d), edgeKey(c, d)]));
        const root = await open.store.trace(e, "UPSTREAM", 0);
        expect(root).toEqual({ nodes: [{ lotId: e, depth: 0 }], edges: [], truncated: true });
        const unknown = randomUUID();
        expect(await open.store.trace(unknown, "DOWNSTREAM", 5)).toEqual({
          nodes: [{ lotId: unknown, depth: 0 }],
          edges: [],
          truncated: false,
        });
        await expect(open.store.trace(a, "DOWNSTREAM", -1)).rejects.toThrow(RangeError);
        await expect(open.store.trace(a, "DOWNSTREAM", 1.5)).rejects.toThrow(RangeError);
      });

      it("traces a random plant like BFS does, in both directions and at every depth bound", async () => {
        const open = await adapter.open();
        const genealogy = generateGenealogy(303, 7, 6, 4);
        forgetAfter(
          open,
          allLots(genealogy),
          genealogy.runs.map((r) => r.runId),
        );
        for (const event of shuffledEvents(genealogy, 3)) await apply(open.store, event);
        const lots = allLots(genealogy);
        const directions: TraceDirection[] = ["UPSTREAM", "DOWNSTREAM"];
        let truncatedSeen = 0;
        for (const [i, root] of lots.entries()) {
          if (i % 3 !== 0) continue; // a third of the lots keeps the suite quick; all levels are covered
          for (const direction of directions) {
            for (const maxDepth of [0, 1, 2, 3, 5, 50]) {
              const want = oracleTrace(genealogy.edges, root, direction, maxDepth);
              const got = await open.store.trace(root, direction, maxDepth);
              const where = `${direction} from ${root} within ${maxDepth}`;
              expect(depthMap(got.nodes), where).toEqual(want.depths);
              expect(got.nodes).toHaveLength(want.depths.size);
              expect(keys(got.edges), where).toEqual(want.edges);
              expect(got.edges).toHaveLength(want.edges.size);
              expect(got.truncated, where).toBe(want.truncated);
              for (const edge of got.edges) {
                expect(edge.quantity).toBe(genealogy.quantities.get(edgeKey(edge.parentLotId, edge.childLotId)));
                expect(edge.runId).toMatch(/^[0-9a-f-]{36}$/);
              }
              if (want.truncated) truncatedSeen++;
            }
          }
        }
        expect(truncatedSeen).toBeGreaterThan(0);
      });

      it("lists descendants, the starts excluded, however deep", async () => {
        const open = await adapter.open();
        const genealogy = generateGenealogy(404, 8);
        forgetAfter(
          open,
          allLots(genealogy),
          genealogy.runs.map((r) => r.runId),
        );
        for (const event of shuffledEvents(genealogy, 4)) await apply(open.store, event);
        const raw = genealogy.levels[0]!;
        for (const starts of [[raw[0]!], [raw[1]!, raw[2]!], genealogy.levels[3]!, []]) {
          const got = await open.store.descendants(starts);
          expect([...got].sort()).toEqual(oracleDescendants(genealogy.edges, starts));
        }
      });

      it("finds received lots by supplier lot code, and keeps the code when later events lack it", async () => {
        const open = await adapter.open();
        const code = `SUP-${randomBytes(6).toString("hex")}`;
        const [first, second, other] = [randomUUID(), randomUUID(), randomUUID()].sort() as [string, string, string];
        forgetAfter(open, [first, second, other], []);
        const lot = (lotId: string, supplierLotCode?: string | null) => ({
          lotId,
          code: `L-${lotId.slice(0, 8)}`,
          materialId: randomUUID(),
          createdAt: new Date(),
          ...(supplierLotCode === undefined ? {} : { supplierLotCode }),
        });
        await open.store.upsertLot(lot(second, code));
        await open.store.upsertLot(lot(first, code));
        await open.store.upsertLot(lot(other, `${code}-X`));
        // An output event for the same lot knows no supplier code: it must not erase it.
        await open.store.upsertLot({ ...lot(first), code: null });
        expect(await open.store.lotsBySupplierLotCode(code)).toEqual([first, second]);
        expect(await open.store.lotsBySupplierLotCode(`${code}-none`)).toEqual([]);
      });
    },
  );
}

function depthMap(nodes: ReadonlyArray<{ lotId: string; depth: number }>): Map<string, number> {
  return new Map(nodes.map((n) => [n.lotId, n.depth]));
}

function keys(edges: ReadonlyArray<{ parentLotId: string; childLotId: string }>): Set<string> {
  return new Set(edges.map((e) => edgeKey(e.parentLotId, e.childLotId)));
}

function sorted<V>(map: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...map].sort(([a], [b]) => a.localeCompare(b)));
}
