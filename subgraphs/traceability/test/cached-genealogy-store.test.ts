/**
 * CachedGenealogyStore: the in-memory read side of the embedded genealogy must answer exactly as
 * the SQL store it decorates, stay current with writes, and never show a rolled-back write.
 */
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Database } from "@lotgraph/kit";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { OVERFLOW_QUANTITY, formatMicro, microOf } from "../src/genealogy/memory/edge-quantity.ts";
import { CachedGenealogyStore } from "../src/genealogy/memory/cached-genealogy-store.ts";
import type { GenealogyStore, TraceDirection } from "../src/genealogy/port/genealogy-store.ts";
import { SqlGenealogyStore } from "../src/genealogy/sql/sql-genealogy-store.ts";
import type { TraceabilityClient, TraceabilityTx } from "../src/database.ts";
import {
  generateGenealogy,
  shuffledEvents,
  type GenealogyEvent,
  type GeneratedGenealogy,
} from "@lotgraph/tests/support/genealogy-graph";
import { edgeKey, oracleDescendants, oracleTrace } from "@lotgraph/tests/support/genealogy-oracle";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");

let db: Database<TraceabilityClient, TraceabilityTx>;
let sql: SqlGenealogyStore;

beforeEach(async () => {
  db = await Database.open<TraceabilityClient, TraceabilityTx>({
    target: { kind: "pglite", dataDir: null },
    migrationsDir: MIGRATIONS,
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  sql = new SqlGenealogyStore(db.client);
});

afterEach(async () => {
  await db.close();
});

function apply(store: GenealogyStore, event: GenealogyEvent) {
  return event.kind === "consumed"
    ? store.recordRunInput(event.runId, event.lotId, event.quantity, event.consumptionId)
    : store.recordRunOutput(event.runId, event.lotId);
}

const DIRECTIONS: TraceDirection[] = ["UPSTREAM", "DOWNSTREAM"];
const DEPTHS = [0, 1, 2, 3, 5, 50];

/** Every read of the cache equals the SQL store's (and the oracle's), for every lot given. */
async function expectSameAsSql(cache: CachedGenealogyStore, genealogy: GeneratedGenealogy, lots: string[]) {
  for (const root of lots) {
    for (const direction of DIRECTIONS) {
      for (const maxDepth of DEPTHS) {
        const where = `${direction} from ${root} within ${maxDepth}`;
        const got = normalise(await cache.trace(root, direction, maxDepth));
        expect(got, where).toEqual(normalise(await sql.trace(root, direction, maxDepth)));
        const want = oracleTrace(genealogy.edges, root, direction, maxDepth);
        expect(new Map(got.nodes.map((n) => [n.lotId, n.depth])), where).toEqual(want.depths);
        expect(new Set(got.edges.map((e) => edgeKey(e.parentLotId, e.childLotId))), where).toEqual(want.edges);
        expect(got.truncated, where).toBe(want.truncated);
      }
    }
  }
  expect(sortedValues(await cache.parentsOf(lots))).toEqual(sortedValues(await sql.parentsOf(lots)));
  expect(sortedValues(await cache.childrenOf(lots))).toEqual(sortedValues(await sql.childrenOf(lots)));
  for (const starts of [[genealogy.levels[0]![0]!], genealogy.levels[1]!, genealogy.levels[0]!, []]) {
    const got = [...(await cache.descendants(starts))].sort();
    expect(got).toEqual([...(await sql.descendants(starts))].sort());
    expect(got).toEqual(oracleDescendants(genealogy.edges, starts));
  }
}

describe("CachedGenealogyStore over the SQL store (PGlite)", () => {
  it("answers every read exactly as the SQL store does, after a paged load", async () => {
    const genealogy = generateGenealogy(303, 7, 6, 4);
    for (const event of shuffledEvents(genealogy, 3)) await apply(sql, event);
    const cache = new CachedGenealogyStore(sql, db.driver, { pageSize: 7 }); // many keyset pages
    await cache.load();
    expect(cache.ready).toBe(true);
    expect(cache.stats?.edges).toBe(genealogy.edges.length);
    await expectSameAsSql(cache, genealogy, genealogy.levels.flat());
    // The quantities and runs of the edges come back as SQL prints them.
    const lot = genealogy.levels[3]![0]!;
    const fromCache = normalise(await cache.trace(lot, "UPSTREAM", 50)).edges;
    for (const edge of fromCache) {
      expect(edge.quantity).toBe(genealogy.quantities.get(edgeKey(edge.parentLotId, edge.childLotId)));
    }
    expect(fromCache.length).toBeGreaterThan(0);
    // A lot the genealogy has never seen, and bad depths, as the port says.
    const unknown = randomUUID();
    expect(await cache.trace(unknown, "DOWNSTREAM", 5)).toEqual({
      nodes: [{ lotId: unknown, depth: 0 }],
      edges: [],
      truncated: false,
    });
    await expect(cache.trace(lot, "UPSTREAM", -1)).rejects.toThrow(RangeError);
    await expect(cache.trace(lot, "UPSTREAM", 1001)).rejects.toThrow(RangeError);
  });

  it("sees incremental edges written through it, replays included", async () => {
    const genealogy = generateGenealogy(404, 6, 5, 3);
    const events = shuffledEvents(genealogy, 4);
    const half = Math.floor(events.length / 2);
    for (const event of events.slice(0, half)) await apply(sql, event);
    const cache = new CachedGenealogyStore(sql, db.driver);
    await cache.load();
    for (const event of events.slice(half)) await apply(cache, event);
    for (const event of events) await apply(cache, event); // replays change nothing
    expect(cache.stats?.edges).toBe(genealogy.edges.length);
    await expectSameAsSql(cache, genealogy, genealogy.levels.flat());
  });

  it("answers from the inner store until loaded, and queues writes made meanwhile", async () => {
    const genealogy = generateGenealogy(505, 4, 4, 3);
    const events = shuffledEvents(genealogy, 5);
    const cache = new CachedGenealogyStore(sql, db.driver, { pageSize: 3 });
    for (const event of events.slice(0, 10)) await apply(cache, event);
    expect(cache.ready).toBe(false);
    const raw = genealogy.levels[0]![0]!;
    expect(normalise(await cache.trace(raw, "DOWNSTREAM", 9))).toEqual(
      normalise(await sql.trace(raw, "DOWNSTREAM", 9)),
    );
    const loading = cache.load();
    const writes = Promise.all(events.slice(10).map((event) => apply(cache, event)));
    await Promise.all([loading, writes]);
    await expectSameAsSql(cache, genealogy, genealogy.levels.flat());
  });

  it("shows a projection's writes once their transaction commits, and never a rolled-back one", async () => {
    const cache = new CachedGenealogyStore(sql, db.driver);
    await cache.load();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const run = randomUUID();
    await cache.committing(() =>
      db.transaction(async (tx) => {
        const store = cache.track(new SqlGenealogyStore(tx));
        await store.recordRunInput(run, a, "2.5", randomUUID());
        await store.recordRunOutput(run, b);
        // Inside the transaction the cache still shows the committed state only.
        expect((await cache.childrenOf([a])).get(a)).toBeUndefined();
      }),
    );
    expect((await cache.childrenOf([a])).get(a)).toEqual([b]);
    expect((await cache.trace(b, "UPSTREAM", 3)).edges).toEqual([
      { parentLotId: a, childLotId: b, quantity: "2.500000", runId: run },
    ]);

    const failure = new Error("projection failed after writing");
    await expect(
      cache.committing(() =>
        db.transaction(async (tx) => {
          const store = cache.track(new SqlGenealogyStore(tx));
          await store.recordRunInput(run, c, "1", randomUUID()); // c → b
          await store.recordRunInput(run, a, "4", randomUUID()); // a → b now 6.5
          throw failure;
        }),
      ),
    ).rejects.toBe(failure);
    // Even a refresh of those lots reads only what committed.
    await cache.refresh([a, b, c]);
    expect((await cache.parentsOf([b])).get(b)).toEqual([a]);
    expect((await cache.trace(b, "UPSTREAM", 3)).edges).toEqual([
      { parentLotId: a, childLotId: b, quantity: "2.500000", runId: run },
    ]);
    expect(await cache.descendants([c])).toEqual([]);
    expect(() => cache.track(sql)).toThrow(/outside committing/);
  });

  it("follows the SQL store when an edge's quantity changes or a write fails half-way", async () => {
    const cache = new CachedGenealogyStore(sql, db.driver);
    await cache.load();
    const [a, b] = [randomUUID(), randomUUID()];
    const run = randomUUID();
    await cache.recordRunOutput(run, b);
    await cache.recordRunInput(run, a, "1", randomUUID());
    await cache.recordRunInput(run, a, "0.25", randomUUID());
    expect((await cache.trace(a, "DOWNSTREAM", 1)).edges).toEqual([
      { parentLotId: a, childLotId: b, quantity: "1.250000", runId: run },
    ]);
    // Not a uuid: the SQL store throws; the cache is unchanged and still answers.
    await expect(cache.recordRunInput(run, "not-a-lot", "1")).rejects.toThrow();
    expect((await cache.parentsOf([b])).get(b)).toEqual([a]);
  });
});

describe("formatMicro", () => {
  it("prints millionths as numeric(20,6)::text does", () => {
    expect(formatMicro(1_500_000)).toBe("1.500000");
    expect(formatMicro(0)).toBe("0.000000");
    expect(formatMicro(1)).toBe("0.000001");
    expect(formatMicro(-2_000_001)).toBe("-2.000001");
    expect(formatMicro(999_999_999_999_999)).toBe("999999999.999999");
  });

  it("slots what prints back as the same text, and keeps the rest as text", () => {
    for (const text of ["1.500000", "0.000000", "-2.000001", "999999999.999999", "9007199254.740991"])
      expect(formatMicro(microOf(text))).toBe(text);
    for (const text of ["-0.000000", "12.5", "007.000000", "9007199254.740992", "99999999999999.999999", "1.0000001"])
      expect(microOf(text), text).toBe(OVERFLOW_QUANTITY);
    expect(microOf(null)).toBeNaN();
  });
});

function normalise(result: Awaited<ReturnType<GenealogyStore["trace"]>>) {
  return {
    nodes: [...result.nodes].sort((x, y) => x.lotId.localeCompare(y.lotId)),
    edges: [...result.edges].sort((x, y) =>
      edgeKey(x.parentLotId, x.childLotId).localeCompare(edgeKey(y.parentLotId, y.childLotId)),
    ),
    truncated: result.truncated,
  };
}

function sortedValues(map: Map<string, string[]>): Map<string, string[]> {
  return new Map([...map].sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, [...v].sort()]));
}
