/**
 * EventBus conformance (DESIGN.md §2, §4.7): one suite, run against every adapter available.
 * The in-process bus always runs; NATS JetStream runs when NATS_URL is set. Every test works in
 * its own subjects and durables (and the NATS run in its own stream, deleted afterwards), so
 * parallel runs against one server never see each other's events.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  createLogger,
  InProcessBus,
  NatsJetStreamBus,
  OutboxRelay,
  type BusMessage,
  type EventBus,
} from "@lotgraph/kit";
import { openKitTestDatabase, publishRawToJetStream } from "@lotgraph/kit/testing";
import { failingDriver } from "../support/faulty-driver.ts";
import { FlakyBus } from "../support/flaky-bus.ts";
import {
  expectAppliedOnceInOrder,
  openConsumerDatabase,
  readProjection,
  startCountingProjection,
  writeEvents,
} from "../support/projection.ts";
import { TcpProxy } from "../support/tcp-proxy.ts";
import { eventually, gate, waitFor } from "../support/wait.ts";

const NATS_URL = process.env.NATS_URL;
const RUN = randomUUID().slice(0, 8);
const logger = createLogger(process.env.LOG_LEVEL ?? "silent", "event-bus-conformance");
/** A stream of its own per run of this file, capturing only this run's subjects. */
const NATS_STREAM = `CONFORMANCE_${RUN}`;
const SUBJECT_ROOT = `conformance.${RUN}`;
/** Short, so a message stranded by a cut connection comes back within a test's time. */
const NATS_ACK_WAIT_MS = 2_000;

let counter = 0;
/** Subjects and durable unique to one test. */
function namespace(): { subjects: string; durable: string } {
  counter++;
  return { subjects: `${SUBJECT_ROOT}.t${counter}`, durable: `conformance_${RUN}_${counter}` };
}

function connectNats(servers: string, requestTimeoutMs = 5_000): Promise<NatsJetStreamBus> {
  return NatsJetStreamBus.connect({
    servers,
    name: `conformance-${RUN}`,
    logger,
    stream: NATS_STREAM,
    subjects: [`${SUBJECT_ROOT}.>`],
    ackWaitMs: NATS_ACK_WAIT_MS,
    requestTimeoutMs,
  });
}

interface Adapter {
  name: string;
  /** Why the adapter is left out of this run, or null when it runs. */
  skipReason: string | null;
  /** A bus on the adapter's backend, closed after the test. */
  open(): Promise<EventBus>;
  /** Runs after the file: removes what the adapter left on shared infrastructure. */
  cleanup(): Promise<void>;
}

const adapters: Adapter[] = [
  {
    name: "in-process",
    skipReason: null,
    open: async () => new InProcessBus(),
    cleanup: async () => undefined,
  },
  {
    name: "nats-jetstream",
    skipReason: NATS_URL ? null : "NATS_URL is not set (no JetStream server for this run)",
    open: () => connectNats(NATS_URL ?? ""),
    cleanup: async () => {
      const bus = await connectNats(NATS_URL ?? "");
      await bus.deleteStream();
      await bus.close();
    },
  },
];

function message(subjectRoot: string, entityId: string, position: number, verb = "received"): BusMessage {
  return {
    id: randomUUID(),
    subject: `${subjectRoot}.lot.${verb}`,
    entityType: "Lot",
    entityId,
    payload: { position },
    occurredAt: new Date().toISOString(),
  };
}

for (const adapter of adapters) {
  // Adapters whose infrastructure is absent are reported as skipped (with the reason in the
  // title), so an embedded-only run says what it did not check instead of passing silently.
  const title = `EventBus conformance: ${adapter.name}${adapter.skipReason ? ` (skipped: ${adapter.skipReason})` : ""}`;
  describe.skipIf(adapter.skipReason !== null)(title, { timeout: 30_000 }, () => {
    afterAll(() => adapter.cleanup());

    async function openBus(): Promise<FlakyBus> {
      const bus = new FlakyBus(await adapter.open());
      onTestFinished(() => bus.close());
      return bus;
    }

    it("delivers each entity's events in write order, one at a time", async () => {
      const ns = namespace();
      const bus = await openBus();
      const entities = ["lot-a", "lot-b", "lot-c", "lot-d", "lot-e"];
      const sent: BusMessage[] = [];
      for (let position = 0; position < 20; position++) {
        for (const entity of entities)
          sent.push(message(ns.subjects, entity, position, position % 2 ? "moved" : "received"));
      }
      // Half before the consumer exists (it must start from the beginning), half while it runs.
      for (const m of sent.slice(0, 50)) await bus.publish(m);
      const seen: BusMessage[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const consumption = await bus.consume({
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        handler: async (m) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await sleep(Math.random() < 0.1 ? 2 : 0);
          seen.push(m);
          inFlight--;
        },
      });
      onTestFinished(() => consumption.stop());
      for (const m of sent.slice(50)) await bus.publish(m);

      await waitFor("all events delivered", () => seen.length >= sent.length);
      expect(seen.map((m) => m.id)).toEqual(sent.map((m) => m.id));
      for (const entity of entities) {
        const positions = seen.filter((m) => m.entityId === entity).map((m) => m.payload["position"]);
        expect(positions, entity).toEqual([...Array(20).keys()]);
      }
      expect(seen[0]).toEqual(sent[0]); // the whole message survives the trip
      expect(maxInFlight).toBe(1);
    });

    it("delivers only the subjects a consumer filters on", async () => {
      const ns = namespace();
      const bus = await openBus();
      const wanted = [message(ns.subjects, "lot-1", 0, "received"), message(ns.subjects, "lot-1", 2, "shipped")];
      const other = message(ns.subjects, "lot-1", 1, "moved");
      for (const m of [wanted[0], other, wanted[1]]) if (m) await bus.publish(m);
      const seen: string[] = [];
      const consumption = await bus.consume({
        durable: ns.durable,
        subjects: [`${ns.subjects}.lot.received`, `${ns.subjects}.*.shipped`],
        handler: async (m) => void seen.push(m.id),
      });
      onTestFinished(() => consumption.stop());
      const marker = message(ns.subjects, "lot-2", 3, "shipped");
      await bus.publish(marker);
      await waitFor("marker delivered", () => seen.includes(marker.id));
      expect(seen).toEqual([...wanted.map((m) => m.id), marker.id]);
    });

    it("counts a durable's unacknowledged messages (its lag, for metrics)", async () => {
      const ns = namespace();
      const bus = await adapter.open();
      onTestFinished(() => bus.close());
      expect(await bus.pending?.(ns.durable)).toBeNull();
      const stuck = gate();
      const handled: string[] = [];
      const consumption = await bus.consume({
        durable: ns.durable,
        subjects: [`${ns.subjects}.lot.received`],
        handler: async (m) => {
          await stuck.promise;
          handled.push(m.id);
        },
      });
      onTestFinished(() => consumption.stop());
      for (let position = 0; position < 3; position++) await bus.publish(message(ns.subjects, "lot-1", position));
      await bus.publish(message(ns.subjects, "lot-1", 3, "moved")); // not its subject
      await eventually(async () => expect(await bus.pending!(ns.durable)).toBe(3));
      stuck.open();
      await waitFor("all handled", () => handled.length === 3);
      await eventually(async () => expect(await bus.pending!(ns.durable)).toBe(0));
    });

    it("starts a new durable after the history when asked, and resumes it where it stopped", async () => {
      const ns = namespace();
      const bus = await openBus();
      const history = message(ns.subjects, "lot-1", 0);
      await bus.publish(history);
      const seen: number[] = [];
      const consume = () =>
        bus.consume({
          durable: ns.durable,
          subjects: [`${ns.subjects}.>`],
          startAt: "new",
          handler: async (m) => void seen.push(m.payload["position"] as number),
        });
      const first = await consume();
      await bus.publish(message(ns.subjects, "lot-1", 1));
      await waitFor("the first new event", () => seen.length === 1);
      await first.stop();
      // Written while no process consumes the durable (a gateway restarting): kept for it.
      await bus.publish(message(ns.subjects, "lot-1", 2));
      const second = await consume();
      onTestFinished(() => second.stop());
      await bus.publish(message(ns.subjects, "lot-1", 3));
      await waitFor("events after the restart", () => seen.length >= 3);
      expect(seen).toEqual([1, 2, 3]);
    });

    it("redelivers a message whose handler failed, and the projection applies it once", async () => {
      const ns = namespace();
      const bus = await openBus();
      const producer = await openKitTestDatabase();
      const consumer = await openConsumerDatabase();
      onTestFinished(() => Promise.all([producer.close(), consumer.close()]).then(() => undefined));
      const written = await writeEvents(producer, ns.subjects, ["lot-a", "lot-b"], 5);
      const relay = new OutboxRelay({ driver: producer.driver, bus, logger });
      await relay.drain();

      const victim = written[3];
      const attempts = new Map<string, number>();
      const projection = await startCountingProjection({
        bus,
        db: consumer,
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        logger,
        beforeApply: async (m) => {
          const n = (attempts.get(m.id) ?? 0) + 1;
          attempts.set(m.id, n);
          if (m.id === victim?.id && n < 3) throw new Error("projection crashed (injected)");
        },
      });
      onTestFinished(() => projection.stop());

      await eventually(async () => expectAppliedOnceInOrder(await readProjection(consumer), written));
      expect(attempts.get(victim?.id ?? "")).toBe(3);
      expect(bus.delivered.filter((id) => id === victim?.id)).toHaveLength(3);
    });

    it("gives an in-flight message to the next consumer when one stops mid-message", async () => {
      const ns = namespace();
      const bus = await openBus();
      const producer = await openKitTestDatabase();
      const consumer = await openConsumerDatabase();
      onTestFinished(() => Promise.all([producer.close(), consumer.close()]).then(() => undefined));
      const written = await writeEvents(producer, ns.subjects, ["lot-a", "lot-b", "lot-c"], 3);
      await new OutboxRelay({ driver: producer.driver, bus, logger }).drain();

      const victim = written[4];
      const held = gate();
      const reached = gate();
      const first = await startCountingProjection({
        bus,
        db: consumer,
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        logger,
        beforeApply: async (m) => {
          if (m.id !== victim?.id) return;
          reached.open();
          await held.promise;
        },
      });
      await reached.promise;
      // The process shuts down while the handler is still working on the message; the apply
      // then commits, but the message was never acknowledged.
      const stopped = first.stop();
      held.open();
      await stopped;
      expect(bus.delivered.at(-1)).toBe(victim?.id);

      const second = await startCountingProjection({
        bus,
        db: consumer,
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        logger,
      });
      onTestFinished(() => second.stop());
      await eventually(async () => expectAppliedOnceInOrder(await readProjection(consumer), written));
      expect(bus.delivered.filter((id) => id === victim?.id)).toHaveLength(2);
    });

    it("applies an event once when it is published twice or republished after a relay crash", async () => {
      const ns = namespace();
      const bus = await openBus();
      const producer = await openKitTestDatabase();
      const consumer = await openConsumerDatabase();
      onTestFinished(() => Promise.all([producer.close(), consumer.close()]).then(() => undefined));
      const written = await writeEvents(producer, ns.subjects, ["lot-a", "lot-b"], 3);

      // The relay publishes row 2, then "crashes" before marking it published.
      let crashes = 0;
      const crashing = failingDriver(
        producer.driver,
        (sql) => sql.startsWith("UPDATE outbox SET published_at") && crashes++ === 2,
      );
      await expect(new OutboxRelay({ driver: crashing, bus, logger }).drain()).rejects.toThrow(/injected/);
      // A new relay (the restarted process) publishes what is not marked, row 2 included.
      await new OutboxRelay({ driver: producer.driver, bus, logger }).drain();
      const republished = written[2]?.id;
      expect(bus.published.filter((id) => id === republished)).toHaveLength(2);
      // And a plain duplicate publish of an already delivered event.
      const duplicate = written[0];
      if (duplicate) await bus.publish(duplicate);

      const projection = await startCountingProjection({
        bus,
        db: consumer,
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        logger,
      });
      onTestFinished(() => projection.stop());
      await eventually(async () => expectAppliedOnceInOrder(await readProjection(consumer), written));
      // Give a late duplicate the time to show up before concluding there is none.
      await sleep(300);
      expectAppliedOnceInOrder(await readProjection(consumer), written);
    });

    it("loses nothing written while the bus is down, and converges in order when it returns", async () => {
      const ns = namespace();
      const bus = await openBus();
      const producer = await openKitTestDatabase();
      const consumer = await openConsumerDatabase();
      onTestFinished(() => Promise.all([producer.close(), consumer.close()]).then(() => undefined));
      const projection = await startCountingProjection({
        bus,
        db: consumer,
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        logger,
      });
      onTestFinished(() => projection.stop());
      const relay = new OutboxRelay({ driver: producer.driver, bus, logger, pollMs: 20 });
      relay.start();
      onTestFinished(() => relay.stop());

      const before = await writeEvents(producer, `${ns.subjects}.before`, ["lot-0"], 3, async () => relay.kick());
      await waitFor("events before the outage projected", async () => (await readProjection(consumer)).length === 3);
      bus.down = true;
      const during = await writeEvents(producer, `${ns.subjects}.during`, ["lot-a", "lot-b", "lot-c"], 10, async () =>
        relay.kick(),
      );
      await waitFor("relay tried and failed", () => bus.refused >= 2);
      expect(await relay.backlog()).toBe(30);
      expect(await readProjection(consumer)).toHaveLength(3);

      bus.down = false;
      relay.kick();
      await eventually(async () => expectAppliedOnceInOrder(await readProjection(consumer), [...before, ...during]), {
        timeoutMs: 15_000,
      });
      expect(await relay.backlog()).toBe(0);
    });
  });
}

describe.skipIf(!NATS_URL)(
  `EventBus fault injection: nats-jetstream${NATS_URL ? "" : " (skipped: NATS_URL is not set)"}`,
  { timeout: 60_000 },
  () => {
    const servers = NATS_URL ?? "";
    beforeAll(async () => {
      // The stream is normally created by the conformance block above; make sure it exists
      // even when this block runs alone (vitest -t).
      await (await connectNats(servers)).close();
    });
    afterAll(async () => {
      const bus = await connectNats(servers);
      await bus.deleteStream().catch(() => undefined);
      await bus.close();
    });

    it("delivers every event exactly once and in order across a cut connection", async () => {
      const ns = namespace();
      const proxy = new TcpProxy(hostAndPort(servers));
      const port = await proxy.start();
      onTestFinished(() => proxy.stop());
      const bus = await connectNats(`nats://127.0.0.1:${port}`, 1_000);
      onTestFinished(() => bus.close());
      const producer = await openKitTestDatabase();
      const consumer = await openConsumerDatabase();
      onTestFinished(() => Promise.all([producer.close(), consumer.close()]).then(() => undefined));
      const projection = await startCountingProjection({
        bus,
        db: consumer,
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        logger,
      });
      onTestFinished(() => projection.stop());
      const relay = new OutboxRelay({ driver: producer.driver, bus, logger, pollMs: 20 });
      relay.start();
      onTestFinished(() => relay.stop());

      const total = 60;
      let projectedAtCut = -1;
      const written = await writeEvents(producer, ns.subjects, ["lot-a", "lot-b", "lot-c"], total / 3, async (n) => {
        relay.kick();
        await sleep(20);
        if (n !== total / 2) return;
        await waitFor("some events projected before the cut", async () => (await readProjection(consumer)).length > 0);
        projectedAtCut = (await readProjection(consumer)).length;
        proxy.cut();
        setTimeout(() => proxy.restore(), 2_000);
      });

      await eventually(async () => expectAppliedOnceInOrder(await readProjection(consumer), written), {
        timeoutMs: 30_000,
      });
      expect(projectedAtCut).toBeGreaterThan(0);
      expect(projectedAtCut).toBeLessThan(total);
    });

    it("terminates a malformed message and keeps consuming", async () => {
      const ns = namespace();
      const bus = await connectNats(servers);
      onTestFinished(() => bus.close());
      const subject = `${ns.subjects}.lot.received`;
      const encoder = new TextEncoder();
      await publishRawToJetStream(servers, subject, encoder.encode("not json"), randomUUID());
      await publishRawToJetStream(servers, subject, encoder.encode(JSON.stringify({ id: "x" })), randomUUID());
      const valid = message(ns.subjects, "lot-a", 0);
      await bus.publish(valid);
      const seen: string[] = [];
      const consumption = await bus.consume({
        durable: ns.durable,
        subjects: [`${ns.subjects}.>`],
        handler: async (m) => void seen.push(m.id),
      });
      onTestFinished(() => consumption.stop());
      await waitFor("valid event delivered", () => seen.includes(valid.id));
      const after = message(ns.subjects, "lot-a", 1);
      await bus.publish(after);
      await waitFor("next event delivered", () => seen.includes(after.id));
      expect(seen).toEqual([valid.id, after.id]);
    });

    it("shares one durable between two processes: each event handled once, in order", async () => {
      const ns = namespace();
      const [a, b] = [await connectNats(servers), await connectNats(servers)];
      onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
      const seen: Array<{ id: string; by: string }> = [];
      for (const [by, bus] of [
        ["a", a],
        ["b", b],
      ] as const) {
        const consumption = await bus.consume({
          durable: ns.durable,
          subjects: [`${ns.subjects}.>`],
          handler: async (m) => {
            seen.push({ id: m.id, by });
            await sleep(1);
          },
        });
        onTestFinished(() => consumption.stop());
      }
      const sent: BusMessage[] = [];
      for (let i = 0; i < 40; i++) sent.push(message(ns.subjects, `lot-${i % 4}`, i));
      for (const m of sent) await a.publish(m);
      await waitFor("all delivered", () => seen.length >= sent.length);
      await sleep(200);
      expect(seen.map((s) => s.id)).toEqual(sent.map((m) => m.id));
    });
  },
);

function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url.split(",")[0] ?? url);
  return { host: parsed.hostname, port: Number(parsed.port || 4222) };
}
