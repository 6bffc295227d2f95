import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessBus } from "./in-process.ts";
import { subjectMatches, type BusMessage, type MessageHandler } from "./types.ts";

function message(subject: string, entityId = "lot-1", id: string = randomUUID()): BusMessage {
  return { id, subject, entityType: "Lot", entityId, payload: { n: entityId }, occurredAt: new Date().toISOString() };
}

/** Resolves once `check` holds, polling; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(5);
  }
}

describe("subjectMatches", () => {
  it("matches literal subjects token by token", () => {
    expect(subjectMatches("lotgraph.inventory.lot.received", "lotgraph.inventory.lot.received")).toBe(true);
    expect(subjectMatches("lotgraph.inventory.lot.received", "lotgraph.inventory.lot.shipped")).toBe(false);
    expect(subjectMatches("lotgraph.inventory.lot", "lotgraph.inventory.lot.received")).toBe(false);
    expect(subjectMatches("lotgraph.inventory.lot.received", "lotgraph.inventory.lot")).toBe(false);
  });

  it("lets * stand for exactly one token", () => {
    expect(subjectMatches("lotgraph.*.lot.received", "lotgraph.inventory.lot.received")).toBe(true);
    expect(subjectMatches("lotgraph.inventory.*", "lotgraph.inventory.lot")).toBe(true);
    expect(subjectMatches("lotgraph.inventory.*", "lotgraph.inventory.lot.received")).toBe(false);
    expect(subjectMatches("lotgraph.inventory.*", "lotgraph.inventory")).toBe(false);
  });

  it("lets > stand for one or more trailing tokens", () => {
    expect(subjectMatches("lotgraph.>", "lotgraph.inventory.lot.received")).toBe(true);
    expect(subjectMatches("lotgraph.inventory.>", "lotgraph.inventory.lot")).toBe(true);
    expect(subjectMatches("lotgraph.inventory.>", "lotgraph.inventory")).toBe(false);
    expect(subjectMatches("lotgraph.quality.>", "lotgraph.inventory.lot.received")).toBe(false);
    expect(subjectMatches(">", "anything.at.all")).toBe(true);
  });
});

describe("InProcessBus", () => {
  let bus = new InProcessBus();
  afterEach(async () => {
    await bus.close();
    bus = new InProcessBus();
  });

  it("delivers matching messages once each, in publish order, including those published before consume", async () => {
    const received: string[] = [];
    await bus.publish(message("t.lot.received", "1"));
    await bus.publish(message("t.other.thing", "skip"));
    await bus.publish(message("t.lot.shipped", "2"));
    await bus.consume({
      durable: "ordered",
      subjects: ["t.lot.*"],
      handler: async (m) => {
        received.push(m.entityId);
      },
    });
    for (let i = 3; i <= 20; i++) await bus.publish(message("t.lot.received", String(i)));
    await until(() => received.length >= 20);
    await sleep(20);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1)));
  });

  it("hands each handler its own copy of the message", async () => {
    const original = message("t.copy");
    await bus.publish(original);
    original.payload.n = "changed after publish";
    const seen: BusMessage[] = [];
    await bus.consume({
      durable: "copy",
      subjects: ["t.>"],
      handler: async (m) => {
        seen.push(m);
      },
    });
    await until(() => seen.length === 1);
    expect(seen[0]?.payload).toEqual({ n: "lot-1" });
  });

  it("redelivers a message whose handler threw, before any later one", async () => {
    const attempts: string[] = [];
    let failuresLeft = 2;
    const handler: MessageHandler = async (m) => {
      attempts.push(m.entityId);
      if (m.entityId === "a" && failuresLeft-- > 0) throw new Error("not yet");
    };
    await bus.publish(message("t.x", "a"));
    await bus.publish(message("t.x", "b"));
    await bus.consume({ durable: "retry", subjects: ["t.x"], handler, redeliveryDelayMs: 5 });
    await until(() => attempts.includes("b"));
    expect(attempts).toEqual(["a", "a", "a", "b"]);
  });

  it("resumes a durable consumer after its last acknowledged message", async () => {
    const first: string[] = [];
    const consumption = await bus.consume({
      durable: "resume",
      subjects: ["t.>"],
      handler: async (m) => {
        first.push(m.entityId);
      },
    });
    await bus.publish(message("t.x", "1"));
    await bus.publish(message("t.x", "2"));
    await until(() => first.length === 2);
    await consumption.stop();

    await bus.publish(message("t.x", "3"));
    await sleep(20);
    expect(first).toEqual(["1", "2"]);

    const second: string[] = [];
    await bus.consume({
      durable: "resume",
      subjects: ["t.>"],
      handler: async (m) => {
        second.push(m.entityId);
      },
    });
    await bus.publish(message("t.x", "4"));
    await until(() => second.length === 2);
    expect(second).toEqual(["3", "4"]);
  });

  it("gives a new durable the whole history, independently of other durables", async () => {
    await bus.publish(message("t.x", "1"));
    const a: string[] = [];
    await bus.consume({ durable: "a", subjects: ["t.x"], handler: async (m) => void a.push(m.entityId) });
    await until(() => a.length === 1);
    const b: string[] = [];
    await bus.consume({ durable: "b", subjects: ["t.x"], handler: async (m) => void b.push(m.entityId) });
    await until(() => b.length === 1);
    expect([a, b]).toEqual([["1"], ["1"]]);
  });

  it("does not acknowledge a message whose consumer stopped while handling it", async () => {
    let release: () => void = () => undefined;
    const handling = new Promise<void>((resolve) => (release = resolve));
    const first: string[] = [];
    const consumption = await bus.consume({
      durable: "inflight",
      subjects: ["t.x"],
      handler: async (m) => {
        first.push(m.entityId);
        await handling;
      },
    });
    await bus.publish(message("t.x", "1"));
    await until(() => first.length === 1);
    const stopped = consumption.stop();
    release();
    await stopped;

    const second: string[] = [];
    await bus.consume({ durable: "inflight", subjects: ["t.x"], handler: async (m) => void second.push(m.entityId) });
    await until(() => second.length === 1);
    expect(second).toEqual(["1"]);
  });

  it("ignores a second publish of the same id", async () => {
    const id = randomUUID();
    await bus.publish(message("t.x", "first", id));
    await bus.publish(message("t.x", "again", id));
    await bus.publish(message("t.x", "next"));
    const received: string[] = [];
    await bus.consume({ durable: "dedupe", subjects: ["t.x"], handler: async (m) => void received.push(m.entityId) });
    await until(() => received.length >= 2);
    await sleep(20);
    expect(received).toEqual(["first", "next"]);
  });

  it("refuses to publish or consume once closed, and close ends running consumers", async () => {
    const received: string[] = [];
    await bus.consume({ durable: "closing", subjects: ["t.x"], handler: async (m) => void received.push(m.entityId) });
    await bus.close();
    await expect(bus.publish(message("t.x"))).rejects.toThrow(/closed/);
    await expect(bus.consume({ durable: "late", subjects: ["t.x"], handler: async () => undefined })).rejects.toThrow(
      /closed/,
    );
    expect(received).toEqual([]);
  });
});
