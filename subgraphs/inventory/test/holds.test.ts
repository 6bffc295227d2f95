import { randomUUID } from "node:crypto";
import { auditTrail } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOT_FIELDS, OPS, nextCode, receive, runId, setUpPlant, type Plant, type TestLot } from "./fixtures.ts";
import {
  expectLedgerConsistent,
  expectNothingChanged,
  footprint,
  startInventory,
  testTargets,
  type TestInventory,
} from "./support.ts";

/** A no-op under a fresh idempotency key stores that key, and changes nothing else. */
async function expectNoEffect<T>(inv: TestInventory, call: () => Promise<T>): Promise<T> {
  const { idempotency: _before, ...before } = await footprint(inv.sql);
  const result = await call();
  const { idempotency: _after, ...after } = await footprint(inv.sql);
  expect(after).toEqual(before);
  return result;
}

const SET_HOLD = `mutation ($input: SetLotHoldInput!) { setLotHold(input: $input) { lots { ${LOT_FIELDS} } } }`;
const CLEAR_HOLD = `mutation ($input: ClearLotHoldInput!) { clearLotHold(input: $input) { lots { ${LOT_FIELDS} } } }`;
const LOT = `query ($id: ID) { lot(id: $id) { ${LOT_FIELDS} } }`;

interface HoldData {
  setLotHold: { lots: TestLot[] };
}
interface ClearData {
  clearLotHold: { lots: TestLot[] };
}

describe.each(testTargets())("inventory holds for quality ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  const holdInput = (lotIds: string[], holdId: string, extra: Record<string, unknown> = {}) => ({
    input: { lotIds, holdId, reason: "FAIL at metal detection", idempotencyKey: nextCode("hold"), ...extra },
  });
  const hold = async (lotIds: string[], holdId: string, extra: Record<string, unknown> = {}) =>
    (await inv.data<HoldData>(SET_HOLD, holdInput(lotIds, holdId, extra), inv.tokens.internal)).setLotHold.lots;
  const clear = async (lotIds: string[], holdId: string, extra: Record<string, unknown> = {}) =>
    (
      await inv.data<ClearData>(
        CLEAR_HOLD,
        holdInput(lotIds, holdId, { reason: "approved for release", ...extra }),
        inv.tokens.internal,
      )
    ).clearLotHold.lots;
  const status = async (lotId: string) => (await inv.data<{ lot: TestLot }>(LOT, { id: lotId })).lot.status;
  const consume = (lotId: string) => ({
    input: { lotId, quantity: "1", runId: runId(), idempotencyKey: nextCode("consume") },
  });
  const ship = (lotId: string) => ({
    input: { customerId: plant.customer, reference: nextCode("PO"), lines: [{ lotId, quantity: "1" }] },
  });

  it("holds lots at once: consumption and shipment are refused with LOT_UNAVAILABLE until the release", async () => {
    const a = await receive(inv, plant, { quantity: "10" });
    const b = await receive(inv, plant, { quantity: "10" });
    const holdId = randomUUID();
    const held = await hold([b.id, a.id], holdId, { performedBy: { id: "user-quinn", name: "Quinn Quality" } });
    expect(held.map((l) => [l.id, l.status])).toEqual([
      [b.id, "ON_HOLD"],
      [a.id, "ON_HOLD"],
    ]);
    await expectNothingChanged(inv.sql, async () => {
      for (const lot of [a, b]) {
        const refused = await inv.error(OPS.consumeFromLot, consume(lot.id), inv.tokens.internal);
        expect(refused).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { status: "ON_HOLD" } });
        const notShipped = await inv.error(OPS.shipLots, ship(lot.id), inv.tokens.operator);
        expect(notShipped).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { status: "ON_HOLD" } });
      }
    });

    const trail = await auditTrail(inv.sql, "Lot", a.id);
    expect(trail.at(-1)).toMatchObject({
      action: "lot.held",
      actor: { id: "user-quinn", name: "Quinn Quality" },
      reason: `hold ${holdId}: FAIL at metal detection`,
      before: { status: "AVAILABLE", quantity: "10" },
      after: { status: "ON_HOLD", holdId, activeHolds: 1, via: "production" },
    });
    const events = await inv.sql.query<{ entity_id: string; payload: Record<string, unknown> }>(
      "SELECT entity_id, payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.held' AND payload->>'holdId' = $1",
      [holdId],
    );
    expect(events.map((e) => e.entity_id).sort()).toEqual([a.id, b.id].sort());
    expect(events[0]?.payload).toMatchObject({ holdId, status: "ON_HOLD", previousStatus: "AVAILABLE" });

    const released = await clear([a.id, b.id], holdId);
    expect(released.map((l) => l.status)).toEqual(["AVAILABLE", "AVAILABLE"]);
    await inv.data(OPS.consumeFromLot, consume(a.id), inv.tokens.internal);
    await inv.data(OPS.shipLots, ship(b.id), inv.tokens.operator);
    expect((await auditTrail(inv.sql, "Lot", b.id)).map((e) => e.action)).toEqual([
      "lot.received",
      "lot.held",
      "lot.released",
      "lot.shipped",
    ]);
    const [releaseEvent] = await inv.sql.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.released' AND entity_id = $1",
      [b.id],
    );
    expect(releaseEvent?.payload).toMatchObject({ holdId, status: "AVAILABLE", activeHolds: 0 });
    await expectLedgerConsistent(inv.sql);
  });

  it("keeps a lot held until its last hold is released, and restores QUARANTINE", async () => {
    const lot = await receive(inv, plant, { quantity: "5" });
    // Awaiting incoming inspection: QUARANTINE by rule, and again once its holds are gone.
    const quarantined = await receive(inv, plant, { quantity: "5", materialId: plant.inspected });
    expect(quarantined.status).toBe("QUARANTINE");
    const [first, second] = [randomUUID(), randomUUID()];
    await hold([lot.id, quarantined.id], first);
    await hold([lot.id], second);
    expect(await clear([lot.id, quarantined.id], first)).toMatchObject([
      { id: lot.id, status: "ON_HOLD" },
      { id: quarantined.id, status: "QUARANTINE" },
    ]);
    expect((await inv.error(OPS.consumeFromLot, consume(lot.id), inv.tokens.internal)).code).toBe("LOT_UNAVAILABLE");
    // Releasing again, or a hold the lot does not carry, changes nothing.
    await expectNoEffect(inv, () => clear([lot.id], first));
    await expectNoEffect(inv, () => clear([lot.id], randomUUID()));
    expect((await clear([lot.id], second))[0]?.status).toBe("AVAILABLE");
    const trail = await auditTrail(inv.sql, "Lot", lot.id);
    expect(trail.map((e) => [e.action, e.reason])).toEqual([
      ["lot.received", null],
      ["lot.held", `hold ${first}: FAIL at metal detection`],
      ["lot.held", `hold ${second}: FAIL at metal detection`],
      ["lot.released", `hold ${first}: approved for release`],
      ["lot.released", `hold ${second}: approved for release`],
    ]);
  });

  it("records the hold on shipped and consumed lots without changing their status", async () => {
    const shipped = await receive(inv, plant, { quantity: "1" });
    await inv.data(OPS.shipLots, ship(shipped.id), inv.tokens.operator);
    const consumed = await receive(inv, plant, { quantity: "1" });
    await inv.data(OPS.consumeFromLot, consume(consumed.id), inv.tokens.internal);
    const holdId = randomUUID();
    const lots = await hold([shipped.id, consumed.id], holdId);
    expect(lots.map((l) => l.status)).toEqual(["SHIPPED", "CONSUMED"]);
    const rows = await inv.sql.query<{ lot_id: string; previous_status: string; released_at: Date | null }>(
      "SELECT lot_id, previous_status::text, released_at FROM lot_hold WHERE hold_id = $1 ORDER BY previous_status",
      [holdId],
    );
    expect(rows).toEqual([
      { lot_id: consumed.id, previous_status: "CONSUMED", released_at: null },
      { lot_id: shipped.id, previous_status: "SHIPPED", released_at: null },
    ]);
    expect((await auditTrail(inv.sql, "Lot", shipped.id)).at(-1)).toMatchObject({
      action: "lot.held",
      after: { status: "SHIPPED", activeHolds: 1 },
    });
    // Released: a closed lot stays closed.
    expect((await clear([shipped.id, consumed.id], holdId)).map((l) => l.status)).toEqual(["SHIPPED", "CONSUMED"]);
  });

  it("never resurrects a lot scrapped while held", async () => {
    const lot = await receive(inv, plant, { quantity: "2" });
    const holdId = randomUUID();
    await hold([lot.id], holdId);
    await inv.data(OPS.scrapLot, { input: { lotId: lot.id, reason: "contaminated" } }, inv.tokens.manager);
    expect(await status(lot.id)).toBe("SCRAPPED");
    expect((await clear([lot.id], holdId))[0]?.status).toBe("SCRAPPED");
  });

  it("refuses without changing anything: tokens, unknown lots, invalid input, a released hold", async () => {
    const lot = await receive(inv, plant, { quantity: "5" });
    const released = randomUUID();
    await hold([lot.id], released);
    await clear([lot.id], released);
    await expectNothingChanged(inv.sql, async () => {
      for (const op of [SET_HOLD, CLEAR_HOLD]) {
        expect((await inv.error(op, holdInput([lot.id], randomUUID()))).code).toBe("UNAUTHENTICATED");
        for (const token of [inv.tokens.operator, inv.tokens.manager, inv.tokens.admin]) {
          expect((await inv.error(op, holdInput([lot.id], randomUUID()), token)).code).toBe("FORBIDDEN");
        }
        const [missing1, missing2] = [randomUUID(), randomUUID()];
        const unknown = await inv.error(op, holdInput([lot.id, missing1, missing2], randomUUID()), inv.tokens.internal);
        expect(unknown).toMatchObject({
          code: "BAD_USER_INPUT",
          extensions: { field: "lotIds", unknownLotIds: [missing1, missing2] },
        });
        const invalid = await inv.error(
          op,
          { input: { lotIds: ["nope"], holdId: " ", reason: "", idempotencyKey: "" } },
          inv.tokens.internal,
        );
        expect((invalid.extensions.fields as Array<{ field: string }>).map((f) => f.field)).toEqual([
          "lotIds.0",
          "holdId",
          "reason",
          "idempotencyKey",
        ]);
        const empty = await inv.error(op, holdInput([], randomUUID()), inv.tokens.internal);
        expect(empty.code).toBe("BAD_USER_INPUT");
      }
      const again = await inv.error(SET_HOLD, holdInput([lot.id], released), inv.tokens.internal);
      expect(again).toMatchObject({ code: "CONFLICT", extensions: { lotIds: [lot.id] } });
    });
    expect(await status(lot.id)).toBe("AVAILABLE");
  });

  it("holds once for a repeated idempotencyKey and refuses the key with another input", async () => {
    const lot = await receive(inv, plant, { quantity: "5" });
    const holdId = randomUUID();
    const input = holdInput([lot.id, lot.id], holdId);
    await inv.data(SET_HOLD, input, inv.tokens.internal);
    const replay = await expectNothingChanged(inv.sql, () => inv.data<HoldData>(SET_HOLD, input, inv.tokens.internal));
    expect(replay.setLotHold.lots).toMatchObject([{ id: lot.id, status: "ON_HOLD" }]);
    const other = await inv.error(
      SET_HOLD,
      { input: { ...input.input, reason: "another reason" } },
      inv.tokens.internal,
    );
    expect(other.code).toBe("CONFLICT");
    // Placing the same hold again under a fresh key is a no-op as well.
    await expectNoEffect(inv, () => hold([lot.id], holdId));
    const clearInput = holdInput([lot.id], holdId, { reason: "released" });
    await inv.data(CLEAR_HOLD, clearInput, inv.tokens.internal);
    await expectNothingChanged(inv.sql, () => inv.data(CLEAR_HOLD, clearInput, inv.tokens.internal));
    expect(await status(lot.id)).toBe("AVAILABLE");
  });

  it("serialises a hold with a concurrent consumption: the consumption either precedes it or is refused", async () => {
    const lot = await receive(inv, plant, { quantity: "100" });
    const holdId = randomUUID();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => inv.post(OPS.consumeFromLot, consume(lot.id), inv.tokens.internal)),
      inv.post(SET_HOLD, holdInput([lot.id], holdId), inv.tokens.internal),
      ...Array.from({ length: 5 }, () => inv.post(OPS.consumeFromLot, consume(lot.id), inv.tokens.internal)),
    ]);
    expect(results.every((r) => !r.errors || r.errors[0]?.extensions?.code === "LOT_UNAVAILABLE")).toBe(true);
    const [placed] = await inv.sql.query<{ seq: string }>(
      "SELECT seq::text FROM audit_log WHERE entity_id = $1 AND action = 'lot.held'",
      [lot.id],
    );
    const consumedAfter = await inv.sql.query(
      "SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'lot.consumed' AND seq > $2::bigint",
      [lot.id, placed?.seq],
    );
    expect(consumedAfter).toEqual([]);
    expect(await status(lot.id)).toBe("ON_HOLD");
    await expectLedgerConsistent(inv.sql);
  });
});
