import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessBus, SUBJECTS, createLogger, type BusMessage } from "@lotgraph/kit";
import { openKitTestDatabase, type KitTestDatabase } from "../../kit/src/testing/kit-db.ts";
import { startGenealogyProjection } from "../src/projection.ts";
import { rebuildGenealogy } from "../src/rebuild.ts";
import { eventually } from "../../../tests/support/wait.ts";
import { events, openTraceDb, snapshot, testTargets, type TraceDb } from "./support.ts";

/** A small plant: 2 receipts → mix → 2 split lots → pack (rework of one into a second pack), a shipment, a cycle. */
function plantHistory(): BusMessage[] {
  const id = () => randomUUID();
  const [flour, sugar, mix, mixB, pack1, pack2] = [id(), id(), id(), id(), id(), id()];
  const [rMix, rPack, rRework, rBad] = [id(), id(), id(), id()];
  const serials = [{ id: id(), serialNumber: "SN-1" }];
  return [
    events.received(flour, "F-1", "SL-4471"),
    events.received(sugar, "S-1", "SL-9"),
    events.consumed(rMix, flour, "60"),
    events.consumed(rMix, sugar, "20"),
    events.output(rMix, mix, "50"),
    events.output(rMix, mixB, "28"),
    events.produced(mix, "M-1", rMix),
    events.consumed(rPack, mix, "50"),
    events.output(rPack, pack1, "10"),
    events.produced(pack1, "P-1", rPack, serials),
    events.consumed(rRework, pack1, "2"),
    events.consumed(rRework, mixB, "1"),
    events.output(rRework, pack2, "3"),
    ...events.shipped(id(), id(), [
      { lotId: pack1, quantity: "5" },
      { lotId: pack2, quantity: "1" },
    ]),
    events.consumed(rBad, pack2, "1"),
    events.output(rBad, flour, "1"), // would close flour → … → pack2 → flour: parked
  ];
}

async function writeOutbox(db: KitTestDatabase, messages: BusMessage[]): Promise<void> {
  for (const m of messages) {
    await db.driver.query(
      `INSERT INTO outbox (id, subject, entity_type, entity_id, payload, occurred_at)
       VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::timestamptz)`,
      [m.id, m.subject, m.entityType, m.entityId, JSON.stringify(m.payload), m.occurredAt],
    );
  }
}

describe.each(testTargets())("rebuild-genealogy ($name)", ({ target }) => {
  let db: TraceDb;
  let inventory: KitTestDatabase;
  let production: KitTestDatabase;
  const history = plantHistory();

  beforeAll(async () => {
    db = await openTraceDb(target());
    inventory = await openKitTestDatabase();
    production = await openKitTestDatabase();
    await writeOutbox(
      inventory,
      history.filter((m) => m.subject.startsWith("lotgraph.inventory.")),
    );
    await writeOutbox(
      production,
      history.filter((m) => m.subject.startsWith("lotgraph.production.")),
    );
  });
  afterAll(async () => {
    await db?.close();
    await inventory?.close();
    await production?.close();
  });

  it("rebuilds from the outboxes exactly the graph the live consumer built", async () => {
    const bus = new InProcessBus();
    const consumer = await startGenealogyProjection(db, bus, createLogger("silent", "test"));
    for (const m of history) await bus.publish(m);
    const processed = async () =>
      (await db.driver.query<{ n: string }>("SELECT count(*)::text AS n FROM processed_event"))[0]?.n;
    await eventually(async () => expect(await processed()).toBe(String(history.length)));
    await consumer.stop();
    await bus.close();
    const live = await snapshot(db);
    expect(live.edges.length).toBeGreaterThan(5);
    const parkedLive = await db.driver.query("SELECT event_id::text FROM parked_event");
    expect(parkedLive).toHaveLength(1);

    // Wipe, then rebuild from the event history.
    await db.driver.query("TRUNCATE genealogy_edge, genealogy_lot, shipment_lot, parked_event");
    expect((await snapshot(db)).edges).toEqual([]);
    const progress: number[] = [];
    const report = await rebuildGenealogy(
      db,
      [
        { name: "inventory", driver: inventory.driver },
        { name: "production", driver: production.driver },
      ],
      { logger: createLogger("silent", "test"), progressEvery: 5, onProgress: (n) => progress.push(n) },
    );
    expect(report).toMatchObject({ events: history.length, parked: 1 });
    expect(progress.length).toBeGreaterThan(0);
    expect(await snapshot(db)).toEqual(live);
    expect(await db.driver.query("SELECT event_id::text FROM parked_event")).toEqual(parkedLive);
    expect(await processed()).toBe(String(history.length));
  });

  it("ignores events of other subjects in the outboxes", async () => {
    await writeOutbox(inventory, [
      { ...events.received(randomUUID(), "X", null), subject: SUBJECTS.inventory.lotMoved, payload: {} },
    ]);
    const report = await rebuildGenealogy(db, [{ name: "inventory", driver: inventory.driver }], {
      logger: createLogger("silent", "test"),
    });
    expect(report.events).toBe(history.filter((m) => m.subject.startsWith("lotgraph.inventory.")).length);
  });
});
