import { describe, expect, it } from "vitest";
import type { BusMessage } from "../bus/types.ts";
import type { SqlExecutor } from "../db/sql.ts";
import { enqueueEvent } from "../outbox/outbox.ts";
import { EVENT_PAYLOADS, payloadOf } from "./catalog.ts";
import { SUBJECTS } from "./subjects.ts";

const message = (subject: string, payload: Record<string, unknown>): BusMessage => ({
  id: "5f0c0a43-6a36-4b8e-9d64-0a5d8c1f2e11",
  subject,
  entityType: "Lot",
  entityId: "lot-1",
  payload,
  occurredAt: "2026-12-05T08:00:00.000Z",
});

const moved = { lotId: "lot-1", movementId: "m-1", fromLocationId: null, toLocationId: "bin-2" };

describe("event catalogue", () => {
  it("has a payload schema for every subject", () => {
    const subjects = Object.values(SUBJECTS).flatMap((context) => Object.values(context));
    expect(Object.keys(EVENT_PAYLOADS).sort()).toEqual([...subjects].sort());
  });

  it("gives a consumer the payload parsed by its subject's schema", () => {
    const payload = payloadOf(SUBJECTS.inventory.lotMoved, message(SUBJECTS.inventory.lotMoved, moved));
    expect(payload.toLocationId).toBe("bin-2");
  });

  it("refuses a malformed payload and a message of another subject", () => {
    const malformed = message(SUBJECTS.inventory.lotMoved, { ...moved, toLocationId: 7 });
    expect(() => payloadOf(SUBJECTS.inventory.lotMoved, malformed)).toThrow();
    const other = message(SUBJECTS.inventory.lotReceived, moved);
    expect(() => payloadOf(SUBJECTS.inventory.lotMoved, other)).toThrow(/not lotgraph.inventory.lot.moved/);
  });
});

/** Never called: tsc checks that the producer's payload is its subject's (the test is the typecheck). */
export async function producersAreTyped(tx: SqlExecutor): Promise<void> {
  await enqueueEvent(tx, { subject: SUBJECTS.inventory.lotMoved, entityType: "Lot", entityId: "l", payload: moved });
  // An identity event carries nothing: its payload may be left out.
  await enqueueEvent(tx, { subject: SUBJECTS.identity.userCreated, entityType: "User", entityId: "u" });
  // @ts-expect-error a lot movement needs its payload
  await enqueueEvent(tx, { subject: SUBJECTS.inventory.lotMoved, entityType: "Lot", entityId: "l" });
  await enqueueEvent(tx, {
    subject: SUBJECTS.inventory.lotMoved,
    entityType: "Lot",
    entityId: "l",
    // @ts-expect-error toLocationId is a string
    payload: { ...moved, toLocationId: 7 },
  });
  // @ts-expect-error not a subject of the catalogue
  await enqueueEvent(tx, { subject: "lotgraph.inventory.lot.teleported", entityType: "Lot", entityId: "l" });
}
