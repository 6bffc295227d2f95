import { randomUUID } from "node:crypto";
import { auditTrail } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOT_FIELDS, OPS, nextCode, receive, runId, setUpPlant, type Plant, type TestLot } from "./fixtures.ts";
import { expectNothingChanged, startInventory, testTargets, type TestInventory } from "./support.ts";

const LOT = `query ($id: ID) { lot(id: $id) { ${LOT_FIELDS} awaitingRelease { kind gate { id } } } }`;
const SET_HOLD = `mutation ($input: SetLotHoldInput!) { setLotHold(input: $input) { lots { id status } } }`;
const CLEAR_HOLD = `mutation ($input: ClearLotHoldInput!) { clearLotHold(input: $input) { lots { id status } } }`;
const SUPPLIER_HOLD = `mutation ($input: SetSupplierHoldInput!) { setSupplierHold(input: $input) { lots { id status } } }`;
const DECISION = `mutation ($input: ApplyQcDecisionInput!) {
  applyQcDecision(input: $input) { held { id status } changed { id status } }
}`;
const PRODUCE = `mutation ($input: ProduceLotInput!) {
  produceLot(input: $input) { lot { id status } holds { holdId causeLotId reason } }
}`;
const USE_AS_IS = `mutation ($input: ReleaseLotForUseInput!) { releaseLotForUse(input: $input) { lot { id status } } }`;

interface LotView extends TestLot {
  awaitingRelease: Array<{ kind: string; gate: { id: string } | null }>;
}
interface Produced {
  lot: { id: string; status: string };
  holds: Array<{ holdId: string; causeLotId: string | null; reason: string }>;
}

/**
 * Positive release in inventory, the only writer of availability: what a lot waits for before
 * use, the holds a new lot is born under, and holds that reach descendants through inventory's
 * own ledger (no traceability involved), all decided inside the write that changes them.
 */
describe.each(testTargets())("inventory positive release ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  const key = () => nextCode("key");
  const lot = async (id: string) => (await inv.data<{ lot: LotView }>(LOT, { id })).lot;
  const consume = (lotId: string, run: string, quantity = "1") =>
    inv.data(
      OPS.consumeFromLot,
      { input: { lotId, quantity, runId: run, idempotencyKey: key() } },
      inv.tokens.internal,
    );
  const produce = async (run: string, blockingGateIds: string[] = []) =>
    (
      await inv.data<{ produceLot: Produced }>(
        PRODUCE,
        {
          input: {
            runId: run,
            materialId: plant.flour,
            quantity: "2",
            code: nextCode("OUT"),
            locationId: plant.binA,
            blockingGateIds,
            idempotencyKey: key(),
          },
        },
        inv.tokens.internal,
      )
    ).produceLot;
  const decide = (input: Record<string, unknown>) =>
    inv.data<{ applyQcDecision: { held: Array<{ id: string; status: string }> } }>(
      DECISION,
      { input: { reason: "checked", idempotencyKey: key(), ...input } },
      inv.tokens.internal,
    );
  const hold = (lotIds: string[], holdId: string, propagate = false) =>
    inv.data<{ setLotHold: { lots: Array<{ id: string; status: string }> } }>(
      SET_HOLD,
      { input: { lotIds, holdId, reason: "suspect", propagate, idempotencyKey: key() } },
      inv.tokens.internal,
    );
  const clearAll = (holdId: string) =>
    inv.data(CLEAR_HOLD, { input: { holdId, reason: "released", idempotencyKey: key() } }, inv.tokens.internal);
  const ship = (lotId: string) =>
    inv.post(
      OPS.shipLots,
      {
        input: { customerId: plant.customer, reference: nextCode("SO"), lines: [{ lotId, quantity: "1" }] },
      },
      inv.tokens.operator,
    );
  const refusedUse = async (lotId: string) => {
    await expectNothingChanged(inv.sql, async () => {
      expect(
        (
          await inv.error(
            OPS.consumeFromLot,
            { input: { lotId, quantity: "1", runId: runId(), idempotencyKey: key() } },
            inv.tokens.internal,
          )
        ).code,
      ).toBe("LOT_UNAVAILABLE");
      expect((await ship(lotId)).errors?.[0]?.extensions?.code).toBe("LOT_UNAVAILABLE");
    });
  };

  it("receives an inspected material QUARANTINE until a PASS on the lot; a FAIL rejects it until a later PASS", async () => {
    const gate = randomUUID();
    const received = await receive(inv, plant, { quantity: "5", materialId: plant.inspected });
    expect(await lot(received.id)).toMatchObject({
      status: "QUARANTINE",
      awaitingRelease: [{ kind: "INSPECTION", gate: null }],
    });
    await refusedUse(received.id);

    const failHold = randomUUID();
    const failed = await decide({ gateId: gate, lotId: received.id, result: "FAIL", holdId: failHold });
    expect(failed.applyQcDecision.held).toEqual([{ id: received.id, status: "ON_HOLD" }]);
    expect((await lot(received.id)).awaitingRelease.map((r) => r.kind).sort()).toEqual(["INSPECTION", "REJECTED"]);
    // Released from its hold, a rejected lot is still not usable: it waits for a PASS.
    await clearAll(failHold);
    expect((await lot(received.id)).status).toBe("QUARANTINE");
    await refusedUse(received.id);

    await decide({ gateId: gate, lotId: received.id, result: "PASS" });
    expect(await lot(received.id)).toMatchObject({ status: "AVAILABLE", awaitingRelease: [] });
    expect((await auditTrail(inv.sql, "Lot", received.id)).map((e) => e.action)).toEqual([
      "lot.received",
      "lot.quarantined",
      "lot.quarantined",
      "lot.held",
      "lot.released",
      "lot.releaseRequirementMet",
    ]);
    const [event] = await inv.sql.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.releaseChanged' AND entity_id = $1 ORDER BY seq DESC LIMIT 1",
      [received.id],
    );
    expect(event?.payload).toMatchObject({ status: "AVAILABLE", previousStatus: "QUARANTINE", pending: [] });
  });

  it("a signed USE_AS_IS releases a rejected lot for use; its holds stay until released", async () => {
    const received = await receive(inv, plant, { quantity: "5" });
    const holdId = randomUUID();
    await decide({ gateId: randomUUID(), lotId: received.id, result: "FAIL", holdId });
    await inv.data(
      USE_AS_IS,
      { input: { lotId: received.id, reason: "NCR-1 use as is", idempotencyKey: key() } },
      inv.tokens.internal,
    );
    expect(await lot(received.id)).toMatchObject({ status: "ON_HOLD", awaitingRelease: [] });
    await clearAll(holdId);
    expect((await lot(received.id)).status).toBe("AVAILABLE");
  });

  it("refuses a receipt that has already expired, and changes nothing", async () => {
    await expectNothingChanged(inv.sql, async () => {
      const refused = await inv.error(
        OPS.receiveLot,
        {
          input: {
            materialId: plant.flour,
            locationId: plant.binA,
            code: nextCode(),
            quantity: "1",
            expiresAt: new Date(Date.now() - 60_000).toISOString(),
          },
        },
        inv.tokens.operator,
      );
      expect(refused).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "expiresAt" } });
    });
  });

  it("holds every descendant from the ledger with propagate, however deep", async () => {
    const raw = await receive(inv, plant, { quantity: "10" });
    const level1 = runId();
    await consume(raw.id, level1);
    const dough = (await produce(level1)).lot;
    const level2 = runId();
    await consume(dough.id, level2);
    const cake = (await produce(level2)).lot;
    const unrelated = await receive(inv, plant, { quantity: "1" });
    const held = await hold([raw.id], randomUUID(), true);
    expect(held.setLotHold.lots).toEqual([
      { id: raw.id, status: "ON_HOLD" },
      ...[dough.id, cake.id].sort().map((id) => ({ id, status: "ON_HOLD" })),
    ]);
    expect((await lot(unrelated.id)).status).toBe("AVAILABLE");
  });

  it("creates a run's output ON_HOLD when what it consumed, or an ancestor of that, is held", async () => {
    const grand = await receive(inv, plant, { quantity: "10" });
    const first = runId();
    await consume(grand.id, first);
    const parent = (await produce(first)).lot;
    const second = runId();
    await consume(parent.id, second);
    // Held without propagation, after the consumption: only the grandparent carries the hold.
    const holdId = randomUUID();
    await hold([grand.id], holdId);
    expect((await lot(parent.id)).status).toBe("AVAILABLE");
    const made = await produce(second);
    expect(made.lot.status).toBe("ON_HOLD");
    expect(made.holds).toEqual([
      { holdId, causeLotId: grand.id, reason: `made from lot ${grand.code}, which is on hold` },
    ]);
    await refusedUse(made.lot.id);
    expect((await auditTrail(inv.sql, "Lot", made.lot.id)).at(-1)).toMatchObject({
      action: "lot.held",
      after: { status: "ON_HOLD", holdId, inheritedFrom: grand.id },
    });
    const [event] = await inv.sql.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.held' AND entity_id = $1",
      [made.lot.id],
    );
    expect(event?.payload).toMatchObject({ holdId, automatic: true, causeLotId: grand.id });
    // Released at the root, the inherited hold ends with it.
    await clearAll(holdId);
    expect((await lot(made.lot.id)).status).toBe("AVAILABLE");
    expect((await produce(second)).lot.status).toBe("AVAILABLE");
  });

  it("keeps a run's outputs waiting for its blocking gates, and holds them after a HOLD or FAIL on the run", async () => {
    const gate = randomUUID();
    const run = runId();
    const early = await produce(run, [gate]);
    expect(early.lot.status).toBe("QUARANTINE");
    expect((await lot(early.lot.id)).awaitingRelease).toEqual([{ kind: "GATE", gate: { id: gate } }]);
    await refusedUse(early.lot.id);

    await decide({ gateId: gate, runId: run, result: "PASS" });
    expect((await lot(early.lot.id)).status).toBe("AVAILABLE");
    const afterPass = await produce(run, [gate]);
    expect(afterPass.lot.status).toBe("AVAILABLE");

    const failHold = randomUUID();
    const failed = await decide({ gateId: gate, runId: run, result: "FAIL", holdId: failHold });
    expect(failed.applyQcDecision.held.map((l) => l.id)).toEqual([early.lot.id, afterPass.lot.id]);
    const late = await produce(run, [gate]);
    expect(late.lot.status).toBe("ON_HOLD");
    expect(late.holds).toEqual([expect.objectContaining({ holdId: failHold, causeLotId: null })]);
    // The hold released, the gate has still not passed: every output waits for a new PASS.
    await clearAll(failHold);
    for (const id of [early.lot.id, afterPass.lot.id, late.lot.id]) expect((await lot(id)).status).toBe("QUARANTINE");
    expect((await produce(run, [gate])).lot.status).toBe("QUARANTINE");
    await decide({ gateId: gate, runId: run, result: "PASS" });
    for (const id of [early.lot.id, afterPass.lot.id, late.lot.id]) expect((await lot(id)).status).toBe("AVAILABLE");
  });

  it("a later decision at the gate supersedes a run hold for new outputs; earlier ones stay held", async () => {
    const advisory = randomUUID();
    const run = runId();
    const before = await produce(run);
    const holdId = randomUUID();
    await decide({ gateId: advisory, runId: run, result: "HOLD", holdId });
    expect((await produce(run)).lot.status).toBe("ON_HOLD");
    await decide({ gateId: advisory, runId: run, result: "PASS" });
    expect((await produce(run)).lot.status).toBe("AVAILABLE");
    expect((await lot(before.lot.id)).status).toBe("ON_HOLD");
  });

  it("holds a supplier lot code: every receipt so far, their descendants, and every later receipt", async () => {
    const code = nextCode("SL");
    const receiveUnder = (supplierLotCode: string) => receive(inv, plant, { quantity: "4", supplierLotCode });
    const [a, b] = [await receiveUnder(code), await receiveUnder(code)];
    const other = await receiveUnder(nextCode("SL"));
    const run = runId();
    await consume(a.id, run);
    const made = (await produce(run)).lot;
    const holdId = randomUUID();
    const placed = await inv.data<{ setSupplierHold: { lots: Array<{ id: string; status: string }> } }>(
      SUPPLIER_HOLD,
      {
        input: {
          holdId,
          supplierId: plant.supplier,
          supplierLotCode: code,
          reason: "supplier recall",
          idempotencyKey: key(),
        },
      },
      inv.tokens.internal,
    );
    expect(placed.setSupplierHold.lots.map((l) => l.id)).toEqual([a.id, b.id, made.id]);
    expect((await lot(other.id)).status).toBe("AVAILABLE");
    const later = await receiveUnder(code);
    expect(later.status).toBe("ON_HOLD");
    const [event] = await inv.sql.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.held' AND entity_id = $1",
      [later.id],
    );
    expect(event?.payload).toMatchObject({ holdId, automatic: true, causeLotId: null });

    await expectNothingChanged(inv.sql, async () => {
      const customer = await inv.error(
        SUPPLIER_HOLD,
        {
          input: {
            holdId: randomUUID(),
            supplierId: plant.customer,
            supplierLotCode: code,
            reason: "x",
            idempotencyKey: key(),
          },
        },
        inv.tokens.internal,
      );
      expect(customer).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "supplierId" } });
      const person = await inv.error(
        SUPPLIER_HOLD,
        {
          input: {
            holdId: randomUUID(),
            supplierId: plant.supplier,
            supplierLotCode: code,
            reason: "x",
            idempotencyKey: key(),
          },
        },
        inv.tokens.manager,
      );
      expect(person.code).toBe("FORBIDDEN");
    });

    await clearAll(holdId);
    for (const id of [a.id, b.id, made.id, later.id]) expect((await lot(id)).status).not.toBe("ON_HOLD");
    expect((await receiveUnder(code)).status).toBe("AVAILABLE");
  });

  it("never lets a lot produced during a propagating hold escape it", async () => {
    // Each round races a propagating hold of a raw lot against an output of a run that consumed
    // it; whichever commits first, the output ends ON_HOLD (PostgreSQL runs them concurrently).
    for (let round = 0; round < 12; round++) {
      const raw = await receive(inv, plant, { quantity: "2" });
      const run = runId();
      await consume(raw.id, run);
      const holdId = randomUUID();
      const [, made] = await Promise.all([hold([raw.id], holdId, true), produce(run)]);
      expect((await lot(made.lot.id)).status, `round ${round}`).toBe("ON_HOLD");
    }
  });

  it("refuses bad decisions and callers without changing anything", async () => {
    const received = await receive(inv, plant, { quantity: "1" });
    await expectNothingChanged(inv.sql, async () => {
      const none = await inv.error(
        DECISION,
        { input: { gateId: randomUUID(), result: "PASS", reason: "x", idempotencyKey: key() } },
        inv.tokens.internal,
      );
      expect(none.code).toBe("BAD_USER_INPUT");
      const passWithHold = await inv.error(
        DECISION,
        {
          input: {
            gateId: randomUUID(),
            lotId: received.id,
            result: "PASS",
            holdId: randomUUID(),
            reason: "x",
            idempotencyKey: key(),
          },
        },
        inv.tokens.internal,
      );
      expect(passWithHold.code).toBe("BAD_USER_INPUT");
      const failWithout = await inv.error(
        DECISION,
        { input: { gateId: randomUUID(), lotId: received.id, result: "FAIL", reason: "x", idempotencyKey: key() } },
        inv.tokens.internal,
      );
      expect(failWithout.code).toBe("BAD_USER_INPUT");
      const unknownLot = await inv.error(
        DECISION,
        {
          input: {
            gateId: randomUUID(),
            lotId: randomUUID(),
            result: "FAIL",
            holdId: randomUUID(),
            reason: "x",
            idempotencyKey: key(),
          },
        },
        inv.tokens.internal,
      );
      expect(unknownLot.code).toBe("BAD_USER_INPUT");
      for (const token of [undefined, inv.tokens.admin]) {
        const refused = await inv.error(
          DECISION,
          { input: { gateId: randomUUID(), lotId: received.id, result: "PASS", reason: "x", idempotencyKey: key() } },
          token,
        );
        expect(refused.code).toBe(token ? "FORBIDDEN" : "UNAUTHENTICATED");
      }
    });
  });
});
