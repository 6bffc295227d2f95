/**
 * The transactional outbox and its relay (DESIGN.md §4.7) on every database target: PGlite
 * always; PostgreSQL only when DATABASE_URL is set (skipped otherwise, there being no server).
 * Each test works in a fresh database of its own (a new schema on PostgreSQL, all dropped in
 * afterAll).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { InProcessBus } from "../src/bus/in-process.ts";
import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "../src/bus/types.ts";
import { createLogger } from "../src/logger.ts";
import { writeOutboxEvent, type OutboxEvent } from "../src/outbox/outbox.ts";
import { OutboxRelay, type OutboxRelayOptions } from "../src/outbox/relay.ts";
import { kitTestTargets, type KitTestStore } from "../src/testing/sql-executor.ts";

const targets = kitTestTargets("kit_outbox");
afterAll(() => Promise.all(targets.map((t) => t.dispose())));

const logger = createLogger("silent", "outbox-relay-test");

/** A bus that only records what was published to it. */
class RecordingBus implements EventBus {
  readonly kind = "in-process" as const;
  readonly published: BusMessage[] = [];
  async publish(message: BusMessage): Promise<void> {
    this.published.push(message);
  }
  consume(_options: ConsumeOptions): Promise<Consumption> {
    return Promise.reject(new Error("RecordingBus only records publishes"));
  }
  async close(): Promise<void> {}
}

function event(n: number, entityId = `lot-${n}`): OutboxEvent {
  return { subject: "lotgraph.inventory.lot.received", entityType: "Lot", entityId, payload: { n } };
}

function relay(options: Partial<OutboxRelayOptions> & Pick<OutboxRelayOptions, "driver" | "bus">): OutboxRelay {
  const instance = new OutboxRelay({ logger, pollMs: 20, ...options });
  onTestFinished(() => instance.stop());
  return instance;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

async function enqueueCommitted(db: KitTestStore, from: number, to: number): Promise<BusMessage[]> {
  const written: BusMessage[] = [];
  for (let n = from; n <= to; n++) written.push(await db.transaction((tx) => writeOutboxEvent(tx, event(n))));
  return written;
}

describe.each(targets)("outbox and relay on $name", (target) => {
  it("publishes nothing of an event whose transaction rolled back", async () => {
    const db = await target.open();
    const bus = new RecordingBus();
    await expect(
      db.transaction(async (tx) => {
        await writeOutboxEvent(tx, event(1));
        throw new Error("the business change failed");
      }),
    ).rejects.toThrow(/business change failed/);
    const [kept] = await enqueueCommitted(db, 2, 2);

    await expect(relay({ driver: db.driver, bus }).drain()).resolves.toBe(1);
    expect(bus.published.map((m) => m.id)).toEqual([kept?.id]);
  });

  it("publishes committed events in commit order, with the outbox id as message id", async () => {
    const db = await target.open();
    const written = await enqueueCommitted(db, 1, 5);
    // Several events in one transaction keep their order too.
    written.push(
      ...(await db.transaction(async (tx) => [
        await writeOutboxEvent(tx, event(6)),
        await writeOutboxEvent(tx, event(7)),
        await writeOutboxEvent(tx, event(8)),
      ])),
    );
    written.push(...(await enqueueCommitted(db, 9, 12)));

    const bus = new InProcessBus();
    onTestFinished(() => bus.close());
    const received: BusMessage[] = [];
    await bus.consume({ durable: "test", subjects: ["lotgraph.>"], handler: async (m) => void received.push(m) });
    // Batches of 5, so order must hold across batches and past seq 9 → 10.
    relay({ driver: db.driver, bus, batchSize: 5 }).start();

    await until(() => received.length >= 12);
    expect(received).toEqual(written);
    expect(received.map((m) => m.payload.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("counts unpublished rows as its backlog", async () => {
    const db = await target.open();
    const outbox = relay({ driver: db.driver, bus: new RecordingBus() });
    await expect(outbox.backlog()).resolves.toBe(0);
    await enqueueCommitted(db, 1, 3);
    await expect(outbox.backlog()).resolves.toBe(3);
    await outbox.drain();
    await expect(outbox.backlog()).resolves.toBe(0);
    await enqueueCommitted(db, 4, 4);
    await expect(outbox.backlog()).resolves.toBe(1);
  });

  it("lets only the lease holder publish, and hands over to the other relay when it stops", async () => {
    const db = await target.open();
    const replica = db.connectAgain();
    const busA = new RecordingBus();
    const busB = new RecordingBus();
    const relayA = relay({ driver: db.driver, bus: busA, leaseMs: 300 });
    const relayB = relay({ driver: replica.driver, bus: busB, leaseMs: 300 });
    relayA.start();
    relayB.start();

    // Waves spread over several lease periods: the holder renews, the other never gets a turn.
    for (let wave = 0; wave < 4; wave++) {
      await enqueueCommitted(db, wave * 5 + 1, wave * 5 + 5);
      await sleep(150);
    }
    await until(async () => (await relayA.backlog()) === 0);
    const [holder, holderBus, other, otherBus] =
      busA.published.length > 0 ? [relayA, busA, relayB, busB] : [relayB, busB, relayA, busA];
    expect(holderBus.published.map((m) => m.payload.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(otherBus.published).toEqual([]);

    await holder.stop();
    const later = await enqueueCommitted(db, 21, 23);
    await until(() => otherBus.published.length === 3);
    expect(otherBus.published.map((m) => m.id)).toEqual(later.map((m) => m.id));
    expect(holderBus.published).toHaveLength(20);
    await expect(other.backlog()).resolves.toBe(0);
  });

  it("waits for a crashed holder's lease to expire, then takes over", async () => {
    const db = await target.open();
    await db.driver.query(
      "INSERT INTO outbox_lease (name, holder, expires_at) VALUES ('outbox', 'crashed-replica', now() + interval '400 milliseconds')",
    );
    await enqueueCommitted(db, 1, 2);
    const bus = new RecordingBus();
    const started = Date.now();
    relay({ driver: db.driver, bus, leaseMs: 300 }).start();

    await sleep(150);
    expect(bus.published).toEqual([]);
    await until(() => bus.published.length === 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("keeps rows unpublished while the bus refuses them, and publishes them once it accepts", async () => {
    const db = await target.open();
    let accept = false;
    const published: BusMessage[] = [];
    const flaky: EventBus = {
      kind: "in-process",
      publish: async (m) => {
        if (!accept) throw new Error("bus unavailable");
        published.push(m);
      },
      consume: () => Promise.reject(new Error("not used")),
      close: async () => undefined,
    };
    const outbox = relay({ driver: db.driver, bus: flaky });
    await enqueueCommitted(db, 1, 2);
    outbox.start();
    await sleep(200);
    await expect(outbox.backlog()).resolves.toBe(2);

    accept = true;
    outbox.kick();
    await until(() => published.length === 2);
    expect(published.map((m) => m.payload.n)).toEqual([1, 2]);
    // A row is marked published after the bus took it: under load the mark can trail the publish.
    await until(async () => (await outbox.backlog()) === 0);
  });

  it("after a restart of the in-process bus, republishes only what some consumer had not acknowledged", async () => {
    const db = await target.open();
    const before = new InProcessBus();
    onTestFinished(() => before.close());
    // A fast consumer of everything, and a projection that stops acknowledging at event 3.
    const seenByFast: number[] = [];
    await before.consume({
      durable: "fast",
      subjects: [">"],
      handler: async (m) => void seenByFast.push(m.payload.n as number),
    });
    await before.consume({
      durable: "slow",
      subjects: [">"],
      redeliveryDelayMs: 10,
      handler: async (m) => {
        if ((m.payload.n as number) >= 3) throw new Error("the projection's database is away");
      },
    });
    // The live layer reads only what is new: even one that never acknowledges holds no history back.
    await before.consume({
      durable: "live",
      subjects: [">"],
      startAt: "new",
      redeliveryDelayMs: 10,
      handler: async () => {
        throw new Error("a display that never keeps up");
      },
    });
    const first = relay({ driver: db.driver, bus: before });
    await enqueueCommitted(db, 1, 4);
    first.start();
    await until(() => seenByFast.length === 4);
    await first.stop();
    const stamped = await db.driver.query<{ n: number }>(
      "SELECT (payload->>'n')::int AS n FROM outbox WHERE delivered_at IS NOT NULL ORDER BY seq",
    );
    expect(stamped.map((row) => row.n)).toEqual([1, 2]);

    // The process restarts: a new, empty bus; only events 3 and 4 go out again.
    const after = new RecordingBus();
    const second = relay({ driver: db.driver, bus: after });
    await expect(second.replayUnacknowledged(24 * 60 * 60 * 1000)).resolves.toBe(2);
    second.start();
    await until(() => after.published.length === 2);
    expect(after.published.map((m) => m.payload.n)).toEqual([3, 4]);
  });
});
