import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Database, InProcessBus, SUBJECTS, createLogger, type BusMessage, type Consumption } from "@lotgraph/kit";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { eventually } from "@lotgraph/tests/support/wait";
import { startGenealogyProjection } from "../src/projection/projection.ts";
import type { TraceabilityClient, TraceabilityTx } from "../src/database.ts";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");

/** Traceability's projection fed real bus messages, on an in-memory PGlite. */
describe("genealogy projection", () => {
  let db: Database<TraceabilityClient, TraceabilityTx>;
  let bus: InProcessBus;
  let consumer: Consumption;

  beforeEach(async () => {
    db = await Database.open<TraceabilityClient, TraceabilityTx>({
      target: { kind: "pglite", dataDir: null },
      migrationsDir: MIGRATIONS,
      createClient: (adapter) => new PrismaClient({ adapter }),
    });
    bus = new InProcessBus();
    consumer = await startGenealogyProjection(db, bus, createLogger("silent", "test"));
  });

  afterEach(async () => {
    await consumer.stop();
    await bus.close();
    await db.close();
  });

  const event = (subject: string, entityId: string, payload: Record<string, unknown>): BusMessage => ({
    id: randomUUID(),
    subject,
    entityType: subject.includes("output") ? "Output" : "Consumption",
    entityId,
    payload,
    occurredAt: new Date().toISOString(),
  });
  const consumed = (runId: string, lotId: string, quantity: string) =>
    event(SUBJECTS.production.consumptionRecorded, randomUUID(), {
      runId,
      lineId: null,
      consumptionId: randomUUID(),
      lotId,
      quantity,
      outputLotIds: [],
      consumedAt: new Date().toISOString(),
    });
  const output = (runId: string, lotId: string) =>
    event(SUBJECTS.production.outputRecorded, randomUUID(), {
      runId,
      lineId: null,
      outputId: randomUUID(),
      lotId,
      materialId: randomUUID(),
      quantity: "1",
      serialIds: [],
      inputLotIds: [],
      recordedAt: new Date().toISOString(),
    });
  const edges = () =>
    db.driver.query<{ parent: string; child: string; quantity: string }>(
      `SELECT parent_lot_id::text AS parent, child_lot_id::text AS child, quantity::text FROM genealogy_edge ORDER BY 1, 2`,
    );
  const processed = async () =>
    Number((await db.driver.query<{ n: string }>("SELECT count(*)::text AS n FROM processed_event"))[0]?.n);

  it("links every consumed lot to every output of the run, whatever the order of events", async () => {
    const run = randomUUID();
    const [a, b, out1, out2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const messages = [
      consumed(run, a, "10"),
      output(run, out1),
      consumed(run, b, "2.5"),
      consumed(run, a, "5"),
      output(run, out2),
    ];
    for (const message of messages) await bus.publish(message);
    await eventually(async () => expect(await processed()).toBe(messages.length));
    const expected = [
      { parent: a, child: out1, quantity: "15.000000" },
      { parent: a, child: out2, quantity: "15.000000" },
      { parent: b, child: out1, quantity: "2.500000" },
      { parent: b, child: out2, quantity: "2.500000" },
    ].sort((x, y) => (x.parent + x.child).localeCompare(y.parent + y.child));
    expect(await edges()).toEqual(expected);
  });

  it("applies a replayed event once", async () => {
    const run = randomUUID();
    const [lot, out] = [randomUUID(), randomUUID()];
    const consumption = consumed(run, lot, "4");
    await bus.publish(output(run, out));
    await bus.publish(consumption);
    await eventually(async () => expect(await processed()).toBe(2));
    // The same event again under a new bus (a relay republish after a restart): still one unit.
    await consumer.stop();
    const replayBus = new InProcessBus();
    consumer = await startGenealogyProjection(db, replayBus, createLogger("silent", "test"));
    await replayBus.publish(consumption);
    await eventually(async () => expect(await processed()).toBe(2));
    await new Promise((r) => setTimeout(r, 100));
    expect(await edges()).toEqual([{ parent: lot, child: out, quantity: "4.000000" }]);
    await replayBus.close();
  });

  it("refuses an edge that would close a cycle and leaves the graph as it was", async () => {
    const [x, y, z] = [randomUUID(), randomUUID(), randomUUID()];
    const run1 = randomUUID();
    const run2 = randomUUID();
    for (const message of [consumed(run1, x, "1"), output(run1, y), consumed(run2, y, "1"), output(run2, z)]) {
      await bus.publish(message);
    }
    await eventually(async () => expect(await processed()).toBe(4));
    const before = await edges();
    expect(before).toHaveLength(2);
    // A rework run that claims to consume z and output x: x → y → z → x would be a cycle.
    const run3 = randomUUID();
    await bus.publish(consumed(run3, z, "1"));
    await bus.publish(output(run3, x));
    await eventually(async () => expect(await processed()).toBe(6));
    expect(await edges()).toEqual(before);
  });
});
