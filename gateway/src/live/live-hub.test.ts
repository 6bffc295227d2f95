import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { buildSchema, parse, print, type DocumentNode, type ExecutionResult } from "graphql";
import { createLogger, SUBJECTS, type BusMessage, type Role } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import { LIVE_BINDINGS } from "./bindings.ts";
import { LiveHub, type LiveExecutor } from "./live-hub.ts";
import { ENTITY_ID_VARIABLE, liveOperationOf } from "./live-operation.ts";
import { RecordingFrameSocket } from "./testing.ts";

const schema = buildSchema(readFileSync(new URL("../../../schema/api.graphql", import.meta.url), "utf8"));
const logger = createLogger("silent", "live-hub-test");

/** A bus event as the services publish it. */
function event(subject: string, entityType: string, entityId: string, payload: Record<string, unknown>): BusMessage {
  return { id: randomUUID(), subject, entityType, entityId, payload, occurredAt: new Date().toISOString() };
}
const lotMoved = (lotId: string, materialId?: string) =>
  event(SUBJECTS.inventory.lotMoved, "Lot", lotId, { lotId, materialId, movementId: randomUUID(), toLocationId: "l" });
const decisionOnLot = (lotId: string) =>
  event(SUBJECTS.quality.decisionRecorded, "QcDecision", randomUUID(), { lotId, gateId: "g1", result: "PASS" });

interface Call {
  document: DocumentNode;
  variables: Record<string, unknown>;
  roles: readonly Role[];
  finish: (result: ExecutionResult) => void;
}

/**
 * The executor the hub is given, held by the test: each call waits until the test finishes it,
 * so the test decides the order in which executions complete.
 */
function heldExecutor() {
  const calls: Call[] = [];
  const execute: LiveExecutor = (document, variables, roles) =>
    new Promise((finish) => calls.push({ document, variables, roles, finish }));
  return { calls, execute };
}

/** An executor answering at once with the entity id it was asked for, under the response key. */
function echoExecutor(responseKey: string, log: string[] = []): LiveExecutor {
  return async (_document, variables) => {
    const id = variables[ENTITY_ID_VARIABLE] as string;
    log.push(id);
    return { data: { [responseKey]: { id } } };
  };
}

function operation(query: string, variables: Record<string, unknown> = {}) {
  return liveOperationOf(schema, parse(query), null, variables);
}

async function take(iterator: AsyncIterator<ExecutionResult>, count: number): Promise<ExecutionResult[]> {
  const out: ExecutionResult[] = [];
  for (let i = 0; i < count; i++) out.push((await iterator.next()).value as ExecutionResult);
  return out;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("LiveHub", () => {
  it("runs one execution per event for subscribers with the same selection, arguments and roles", async () => {
    const executed: string[] = [];
    const hub = new LiveHub({ execute: echoExecutor("lotChanged", executed), logger });
    const op = () => operation(`subscription { lotChanged { id } }`);
    const subscribers = Array.from({ length: 5 }, () => hub.subscribe(op(), ["OPERATOR"]));
    const auditor = hub.subscribe(op(), ["AUDITOR"]);
    await hub.dispatch(lotMoved("lot-1"), LIVE_BINDINGS);

    for (const subscriber of [...subscribers, auditor]) {
      expect(await take(subscriber, 1)).toEqual([{ data: { lotChanged: { id: "lot-1" } } }]);
    }
    // One execution for the five operators, one for the auditor (roles may change answers).
    expect(executed).toEqual(["lot-1", "lot-1"]);
    expect(hub.stats()).toMatchObject({ events: 1, executions: 2, deliveries: 6, groups: 2, subscribers: 6 });
  });

  it("filters on arguments before executing anything", async () => {
    const executed: string[] = [];
    const hub = new LiveHub({ execute: echoExecutor("lotChanged", executed), logger });
    const one = hub.subscribe(operation(`subscription { lotChanged(lotId: "lot-2") { id } }`), ["VIEWER"]);
    const flour = hub.subscribe(
      operation(`subscription ($m: ID) { lotChanged(materialId: $m) { id } }`, { m: "flour" }),
      ["VIEWER"],
    );
    await hub.dispatch(lotMoved("lot-1", "sugar"), LIVE_BINDINGS);
    await hub.dispatch(lotMoved("lot-2", "sugar"), LIVE_BINDINGS);
    await hub.dispatch(lotMoved("lot-3", "flour"), LIVE_BINDINGS);

    expect(await take(one, 1)).toEqual([{ data: { lotChanged: { id: "lot-2" } } }]);
    expect(await take(flour, 1)).toEqual([{ data: { lotChanged: { id: "lot-3" } } }]);
    expect(executed).toEqual(["lot-2", "lot-3"]);
  });

  it("delivers in event order when executions for different entities finish out of order", async () => {
    const { calls, execute } = heldExecutor();
    const hub = new LiveHub({ execute, logger });
    const subscriber = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"]);
    await hub.dispatch(lotMoved("lot-a"), LIVE_BINDINGS);
    await hub.dispatch(lotMoved("lot-b"), LIVE_BINDINGS);
    await flush();
    expect(calls).toHaveLength(2); // different entities run side by side

    calls[1]!.finish({ data: { lotChanged: { id: "lot-b" } } });
    await flush();
    calls[0]!.finish({ data: { lotChanged: { id: "lot-a" } } });
    const results = await take(subscriber, 2);
    expect(results.map((r) => (r.data?.["lotChanged"] as { id: string }).id)).toEqual(["lot-a", "lot-b"]);
  });

  it("runs the executions of one entity one after the other, so no update shows older state", async () => {
    const { calls, execute } = heldExecutor();
    const hub = new LiveHub({ execute, logger });
    const subscriber = hub.subscribe(operation(`subscription { lotChanged { quantity } }`), ["VIEWER"]);
    await hub.dispatch(lotMoved("lot-a"), LIVE_BINDINGS);
    await flush();
    expect(calls).toHaveLength(1); // reading
    await hub.dispatch(lotMoved("lot-a"), LIVE_BINDINGS);
    await flush();
    expect(calls).toHaveLength(1); // the second waits for the first to finish

    calls[0]!.finish({ data: { lotChanged: { quantity: "10" } } });
    await flush();
    expect(calls).toHaveLength(2);
    calls[1]!.finish({ data: { lotChanged: { quantity: "7" } } });
    expect((await take(subscriber, 2)).map((r) => r.data)).toEqual([
      { lotChanged: { quantity: "10" } },
      { lotChanged: { quantity: "7" } },
    ]);
  });

  it("answers a burst on one entity with one execution that has not begun, one message per event", async () => {
    const { calls, execute } = heldExecutor();
    const hub = new LiveHub({ execute, logger, maxConcurrentExecutions: 1 });
    const subscriber = hub.subscribe(operation(`subscription { lotChanged { quantity } }`), ["VIEWER"]);
    await hub.dispatch(lotMoved("lot-x"), LIVE_BINDINGS); // holds the only execution slot
    for (let i = 0; i < 3; i++) await hub.dispatch(lotMoved("lot-a"), LIVE_BINDINGS);
    await flush();
    expect(calls).toHaveLength(1);

    calls[0]!.finish({ data: { lotChanged: { quantity: "1" } } });
    await flush();
    expect(calls).toHaveLength(2); // one for the three events on lot-a
    calls[1]!.finish({ data: { lotChanged: { quantity: "5" } } });
    expect((await take(subscriber, 4)).map((r) => r.data)).toEqual([
      { lotChanged: { quantity: "1" } },
      { lotChanged: { quantity: "5" } },
      { lotChanged: { quantity: "5" } },
      { lotChanged: { quantity: "5" } },
    ]);
    expect(hub.stats()).toMatchObject({ events: 4, executions: 2, deliveries: 4 });
  });

  it("looks up an attribute an event lacks once, only when a subscriber filters on it", async () => {
    const { calls, execute } = heldExecutor();
    const hub = new LiveHub({ execute, logger });
    const unfiltered = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"]);
    const flour = hub.subscribe(operation(`subscription { lotChanged(materialId: "flour") { id } }`), ["VIEWER"]);

    const first = hub.dispatch(decisionOnLot("lot-1"), LIVE_BINDINGS);
    await flush();
    expect(calls).toHaveLength(1);
    expect(print(calls[0]!.document)).toContain("material");
    expect(calls[0]!.variables).toEqual({ id: "lot-1" });
    calls[0]!.finish({ data: { lot: { material: { id: "flour" } } } });
    await first;
    await hub.dispatch(decisionOnLot("lot-1"), LIVE_BINDINGS); // remembered: no second look-up
    await flush();

    const lookups = calls.filter((call) => print(call.document).includes("LiveLotAttributes"));
    expect(lookups).toHaveLength(1);
    for (const call of calls.slice(1)) call.finish({ data: { lotChanged: { id: "lot-1" } } });
    await flush();
    for (const call of calls.slice(3)) call.finish({ data: { lotChanged: { id: "lot-1" } } });
    expect(await take(flour, 2)).toHaveLength(2);
    expect(await take(unfiltered, 2)).toHaveLength(2);
  });

  it("says nothing when the entity is not there, and tells subscribers when loading failed", async () => {
    let answer: () => Promise<ExecutionResult> = async () => ({ data: { lotChanged: null } });
    const hub = new LiveHub({ execute: () => answer(), logger });
    const subscriber = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"]);
    await hub.dispatch(lotMoved("gone"), LIVE_BINDINGS);
    answer = async () => {
      throw new Error("subgraph down");
    };
    await hub.dispatch(lotMoved("lot-1"), LIVE_BINDINGS);
    const [result] = await take(subscriber, 1);
    expect(result?.errors?.map((e) => e.extensions["code"])).toEqual(["INTERNAL"]);
    expect(hub.stats().deliveries).toBe(1);
  });

  it("ends a subscriber that falls too far behind, telling it why, and keeps serving the others", async () => {
    const hub = new LiveHub({ execute: echoExecutor("lotChanged"), logger, subscriberQueueCapacity: 3 });
    const slow = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"]);
    const fast = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"]);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const result of fast) {
        seen.push((result.data?.["lotChanged"] as { id: string }).id);
        if (seen.length === 5) break;
      }
    })();
    for (let i = 1; i <= 5; i++) await hub.dispatch(lotMoved(`lot-${i}`), LIVE_BINDINGS);
    await reading;

    const backlog: ExecutionResult[] = [];
    for await (const result of slow) backlog.push(result);
    expect(backlog).toHaveLength(4); // three updates, then the reason it ended
    expect(backlog[3]?.errors?.map((e) => e.extensions["code"])).toEqual(["SUBSCRIBER_TOO_SLOW"]);
    expect(seen).toEqual(["lot-1", "lot-2", "lot-3", "lot-4", "lot-5"]);
    expect(hub.stats()).toMatchObject({ overflows: 1, subscribers: 0 });
  });

  it("writes to a socket subscriber's socket directly, in event order, beside queued subscribers", async () => {
    const hub = new LiveHub({ execute: echoExecutor("lotChanged"), logger });
    const socket = new RecordingFrameSocket();
    const direct = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"], { socket, id: "1" });
    const queued = hub.subscribe(operation(`subscription { lotChanged { id } }`), ["VIEWER"]);
    for (const lot of ["lot-1", "lot-2", "lot-3"]) await hub.dispatch(lotMoved(lot), LIVE_BINDINGS);
    expect(await take(queued, 3)).toHaveLength(3);
    expect(socket.messages).toEqual(
      ["lot-1", "lot-2", "lot-3"].map((id) => ({ id: "1", type: "next", payload: { data: { lotChanged: { id } } } })),
    );
    // One group: both kinds of subscriber share each execution.
    expect(hub.stats()).toMatchObject({ groups: 1, subscribers: 2, executions: 3, deliveries: 6 });
    await direct.return?.();
    expect(hub.stats().subscribers).toBe(1);
  });

  it("forgets a subscriber that leaves, and completes every one on close", async () => {
    const hub = new LiveHub({ execute: echoExecutor("holdPlaced"), logger });
    const leaving = hub.subscribe(operation(`subscription { holdPlaced { id } }`), ["VIEWER"]);
    const staying = hub.subscribe(operation(`subscription { holdPlaced { id } }`), ["VIEWER"]);
    await leaving.return?.();
    expect(hub.stats()).toMatchObject({ groups: 1, subscribers: 1 });
    hub.close();
    await expect(staying.next()).resolves.toEqual({ value: undefined, done: true });
    expect(hub.stats()).toMatchObject({ groups: 0, subscribers: 0 });
  });
});
