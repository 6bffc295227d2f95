import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InProcessBus, createLogger, type BusMessage, type Consumption } from "@lotgraph/kit";
import { eventually } from "@lotgraph/tests/support/wait";
import { startGenealogyProjection } from "../src/projection/projection.ts";
import { events, openTraceDb, processedCount, publishAndWait, snapshot, testTargets, type TraceDb } from "./support.ts";

describe.each(testTargets())(
  "genealogy projection: cycles are parked, replays change nothing ($name)",
  ({ target }) => {
    let db: TraceDb;
    let bus: InProcessBus;
    let consumer: Consumption;
    let published = 0;

    beforeEach(async () => {
      db = await openTraceDb(target());
      bus = new InProcessBus();
      consumer = await startGenealogyProjection(db, bus, createLogger("silent", "test"));
      published = 0;
    });
    afterEach(async () => {
      await consumer.stop();
      await bus.close();
      await db.close();
    });

    const processed = () => processedCount(db);
    const publish = async (...messages: BusMessage[]) => {
      published += messages.length;
      await publishAndWait(db, bus, published, messages);
    };

    it("parks an event that would close a cycle, whole, and leaves nodes and edges as they were", async () => {
      const [x, y, z] = [randomUUID(), randomUUID(), randomUUID()];
      const [run1, run2, run3] = [randomUUID(), randomUUID(), randomUUID()];
      await publish(events.received(x, "X", "SUP-1"), events.consumed(run1, x, "5"), events.output(run1, y, "5"));
      await publish(events.consumed(run2, y, "5"), events.output(run2, z, "4"));
      // run3 consumes z first (harmless: no output yet), so the snapshot holds that input.
      await publish(events.consumed(run3, z, "1"));
      const before = await snapshot(db);
      expect(before.edges).toHaveLength(2);

      // run3 now claims to output x: z → x would close x → y → z → x.
      const cycle = events.output(run3, x, "1");
      await publish(cycle);
      expect(await snapshot(db)).toEqual(before);
      const parked = await db.driver.query<{ event_id: string; subject: string; reason: string }>(
        "SELECT event_id::text, subject, reason FROM parked_event",
      );
      expect(parked).toEqual([
        { event_id: cycle.id, subject: cycle.subject, reason: expect.stringContaining(`${z} -> ${x}`) },
      ]);

      // The same cycle event again, and a replay of an applied one: still nothing changes.
      const replayBus = new InProcessBus();
      await consumer.stop();
      consumer = await startGenealogyProjection(db, replayBus, createLogger("silent", "test"));
      await replayBus.publish(cycle);
      await replayBus.publish({ ...events.consumed(run2, y, "5"), id: randomUUID() }); // a different event, same run: adds
      published += 1;
      await eventually(async () => expect(await processed()).toBe(published));
      await replayBus.close();
      expect((await snapshot(db)).edges).toHaveLength(2);
    });

    it("applies a replayed (duplicate) event once: nodes, edges and facts identical", async () => {
      const [raw, out] = [randomUUID(), randomUUID()];
      const run = randomUUID();
      const shipment = randomUUID();
      const history = [
        events.received(raw, "RAW-1", "SUP-2"),
        events.consumed(run, raw, "7.5"),
        events.output(run, out, "7"),
        events.produced(out, "OUT-1", run),
        ...events.shipped(shipment, randomUUID(), [{ lotId: out, quantity: "3" }]),
      ];
      await publish(...history);
      const before = await snapshot(db);
      expect(before.edges).toEqual([{ parent_lot_id: raw, child_lot_id: out, quantity: "7.500000", run_id: run }]);
      expect(before.runOutputs).toEqual([{ run_id: run, lot_id: out, quantity: "7.000000" }]);

      // Every event again, as a relay republishes after a restart.
      await consumer.stop();
      const replayBus = new InProcessBus();
      consumer = await startGenealogyProjection(db, replayBus, createLogger("silent", "test"));
      for (const m of history) await replayBus.publish(m);
      await new Promise((r) => setTimeout(r, 150));
      await replayBus.close();
      expect(await processed()).toBe(history.length);
      expect(await snapshot(db)).toEqual(before);
    });
  },
);
