/**
 * The projection with its graph in Neo4j (docs/decisions/0009), on the run's Neo4j server: one
 * Neo4j transaction per event, committed before the SQL transaction that records the event as
 * processed. Runs when NEO4J_URI is set (CI's services pass); lots and runs get fresh ids and are
 * removed after each test, since the database is shared with the suites running beside this one.
 */
import { randomUUID } from "node:crypto";
import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InProcessBus, createLogger, type BusMessage, type Consumption } from "@lotgraph/kit";
import { startGenealogyProjection } from "../src/projection/projection.ts";
import { loadNeo4jConfig } from "../src/genealogy/neo4j/neo4j-config.ts";
import { Neo4jGenealogyStore } from "../src/genealogy/neo4j/neo4j-genealogy-store.ts";
import { events, openTraceDb, publishAndWait, snapshot, type TraceDb } from "./support.ts";

const config = loadNeo4jConfig(process.env);

// Skipped without NEO4J_URI: there is no server to reach. CI's services pass sets it (infra/neo4j-dev);
// the embedded pass never has it.
describe.skipIf(!config)("genealogy projection with the graph in Neo4j", () => {
  let store: Neo4jGenealogyStore;
  let raw: Driver;
  let db: TraceDb;
  let bus: InProcessBus;
  let consumer: Consumption;
  let published = 0;
  const lots: string[] = [];
  const runs: string[] = [];
  const lot = () => lots[lots.push(randomUUID()) - 1]!;
  const run = () => runs[runs.push(randomUUID()) - 1]!;

  beforeAll(async () => {
    store = await Neo4jGenealogyStore.connect(config!);
    raw = neo4j.driver(config!.uri, neo4j.auth.basic(config!.user, config!.password), {
      disableLosslessIntegers: true,
    });
  });
  afterAll(async () => {
    await store?.close();
    await raw?.close();
  });
  beforeEach(async () => {
    db = await openTraceDb({ kind: "pglite", dataDir: null });
    bus = new InProcessBus();
    consumer = await startGenealogyProjection(db, bus, createLogger("silent", "test"), { neo4j: store });
    published = 0;
  });
  afterEach(async () => {
    await consumer.stop();
    await bus.close();
    await db.close();
    await store.deleteForTests(lots.splice(0), runs.splice(0));
  });

  const publish = async (...messages: BusMessage[]) => {
    published += messages.length;
    await publishAndWait(db, bus, published, messages);
  };
  /** What Neo4j holds of a run: its consumptions and outputs, and the edges it made. */
  const graphOf = async (runId: string) => {
    const { records } = await raw.executeQuery(
      `MATCH (r:Run {runId: $runId})
       OPTIONAL MATCH (r)-[c:CONSUMED]->(i:Lot)
       WITH r, collect({lot: i.lotId, quantity: c.quantity}) AS consumed
       OPTIONAL MATCH (r)-[:OUTPUT]->(o:Lot)
       WITH r, consumed, collect(o.lotId) AS outputs
       OPTIONAL MATCH (:Lot)-[e:PARENT_OF {runId: $runId}]->(:Lot)
       RETURN consumed, outputs, collect(e.quantity) AS edgeQuantities`,
      { runId },
      { database: config!.database },
    );
    const row = records[0]?.toObject();
    return row
      ? { consumed: row.consumed.length, outputs: row.outputs.length, edgeQuantities: row.edgeQuantities.map(Number) }
      : null;
  };

  it("parks an event that would close a cycle, whole: Neo4j keeps none of its writes, SQL none of its rows", async () => {
    const [x, y, z] = [lot(), lot(), lot()];
    const [run1, run2, run3] = [run(), run(), run()];
    await publish(events.received(x, "X", "SUP-1"), events.consumed(run1, x, "5"), events.output(run1, y, "5"));
    await publish(events.consumed(run2, y, "5"), events.output(run2, z, "4"), events.consumed(run3, z, "1"));
    const sqlBefore = await snapshot(db);
    const run3Before = await graphOf(run3);
    expect(run3Before).toEqual({ consumed: 1, outputs: 0, edgeQuantities: [] });

    // run3 now claims to output x: z → x would close x → y → z → x.
    const cycle = events.output(run3, x, "1");
    await publish(cycle);
    expect(await graphOf(run3), "the refused event's OUTPUT was rolled back with it").toEqual(run3Before);
    expect((await store.trace(x, "DOWNSTREAM", 10)).nodes.map((n) => n.lotId).sort()).toEqual([x, y, z].sort());
    expect(await snapshot(db)).toEqual(sqlBefore);
    expect(await db.driver.query("SELECT event_id::text FROM parked_event")).toEqual([{ event_id: cycle.id }]);
  });

  it("redelivers an event whose SQL commit failed after Neo4j committed, and counts it once", async () => {
    const [flour, bread] = [lot(), lot()];
    const bake = run();
    await publish(
      events.received(flour, "FLOUR", null),
      events.consumed(bake, flour, "7.5"),
      events.output(bake, bread),
    );
    // The next commit that records a processed event fails at COMMIT, after apply() has
    // committed the event's Neo4j transaction: the case decision 0009 §4 reasons about.
    await db.driver.exec(`
      CREATE SEQUENCE commit_failures;
      CREATE FUNCTION fail_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('commit_failures') = 1 THEN RAISE EXCEPTION 'injected: the SQL commit fails'; END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER fail_first_commit AFTER INSERT ON processed_event
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_first_commit();
    `);
    await publish(events.consumed(bake, flour, "2.5"));
    const failures = await db.driver.query<{ n: string }>("SELECT last_value::text AS n FROM commit_failures");
    expect(Number(failures[0]?.n), "the first commit failed and the event came again").toBeGreaterThanOrEqual(2);

    expect(await graphOf(bake)).toEqual({ consumed: 2, outputs: 1, edgeQuantities: [10] });
    const facts = await snapshot(db);
    expect(facts.runInputs).toEqual([{ run_id: bake, lot_id: flour, quantity: "10.000000" }]);
  });
});
