import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OPS,
  nextCode,
  receive,
  receiveExpired,
  runId,
  setStatus,
  setUpPlant,
  type Plant,
  type TestLot,
} from "./fixtures.ts";
import {
  expectLedgerConsistent,
  expectNothingChanged,
  startInventory,
  testTargets,
  type GraphQLResult,
  type TestInventory,
} from "./support.ts";

interface ConsumeData {
  consumeFromLot: { movementId: string; lot: TestLot };
}
interface ProduceData {
  produceLot: {
    lot: TestLot;
    serials: Array<{
      id: string;
      serialNumber: string;
      status: string;
      lot: { code: string };
      material: { sku: string };
    }>;
  };
}

describe.each(testTargets())("inventory internal mutations for production ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  const consume = (lotId: string, quantity: string, extra: Record<string, unknown> = {}) => ({
    input: { lotId, quantity, runId: runId(), idempotencyKey: nextCode("consume"), ...extra },
  });

  describe("consumeFromLot", () => {
    it("takes from the lot as a CONSUMPTION with the run; a lot consumed to zero is CONSUMED", async () => {
      const lot = await receive(inv, plant, { quantity: "5" });
      const run = runId();
      const first = await inv.data<ConsumeData>(
        OPS.consumeFromLot,
        consume(lot.id, "2", { runId: run, performedBy: { id: "user-otto", name: "Otto Operator" } }),
        inv.tokens.internal,
      );
      expect(first.consumeFromLot.lot).toMatchObject({ quantity: "3", status: "AVAILABLE" });
      const last = await inv.data<ConsumeData>(
        OPS.consumeFromLot,
        consume(lot.id, "3", { runId: run }),
        inv.tokens.internal,
      );
      expect(last.consumeFromLot.lot).toMatchObject({ quantity: "0", status: "CONSUMED" });
      const { lot: read } = await inv.data<{ lot: { movements: { edges: Array<{ node: Record<string, unknown> }> } } }>(
        OPS.movements,
        { id: lot.id },
      );
      expect(read.movements.edges.slice(1).map((e) => e.node)).toMatchObject([
        {
          kind: "CONSUMPTION",
          quantity: "-2",
          balance: "3",
          runId: run,
          actorId: "user-otto",
          actorName: "Otto Operator",
        },
        {
          kind: "CONSUMPTION",
          quantity: "-3",
          balance: "0",
          runId: run,
          actorId: "service:production",
          actorName: "production",
        },
      ]);
      const [event] = await inv.sql.query<{ payload: Record<string, unknown> }>(
        "SELECT payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.consumed' AND entity_id = $1 ORDER BY occurred_at LIMIT 1",
        [lot.id],
      );
      expect(event?.payload).toMatchObject({
        lotId: lot.id,
        quantity: "2",
        onHand: "3",
        runId: run,
        status: "AVAILABLE",
      });
    });

    it("refuses without changing anything: tokens, input, bill of materials, availability, quantity", async () => {
      const lot = await receive(inv, plant, { quantity: "5" });
      const held = await receive(inv, plant, { quantity: "5" });
      await setStatus(inv, held.id, "ON_HOLD");
      const quarantined = await receive(inv, plant, { quantity: "5" });
      await setStatus(inv, quarantined.id, "QUARANTINE");
      const expiresAt = new Date(Date.now() - 1).toISOString();
      const expired = await receiveExpired(inv, plant, { quantity: "5" }, expiresAt);
      const consumed = await receive(inv, plant, { quantity: "1" });
      await inv.data(OPS.consumeFromLot, consume(consumed.id, "1"), inv.tokens.internal);
      await expectNothingChanged(inv.sql, async () => {
        expect((await inv.error(OPS.consumeFromLot, consume(lot.id, "1"))).code).toBe("UNAUTHENTICATED");
        // Internal means a service token: not even an ADMIN person may call it.
        for (const token of [inv.tokens.operator, inv.tokens.admin]) {
          expect((await inv.error(OPS.consumeFromLot, consume(lot.id, "1"), token)).code).toBe("FORBIDDEN");
        }
        const bad = await inv.error(
          OPS.consumeFromLot,
          { input: { lotId: lot.id, quantity: "-1", runId: "run-1", idempotencyKey: "" } },
          inv.tokens.internal,
        );
        expect((bad.extensions.fields as Array<{ field: string }>).map((f) => f.field)).toEqual([
          "quantity",
          "runId",
          "idempotencyKey",
        ]);
        const wrongMaterial = await inv.error(
          OPS.consumeFromLot,
          consume(lot.id, "1", { allowedMaterialIds: [plant.widget] }),
          inv.tokens.internal,
        );
        expect(wrongMaterial).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "allowedMaterialIds" } });
        for (const [unavailable, status] of [
          [held, "ON_HOLD"],
          [quarantined, "QUARANTINE"],
          [consumed, "CONSUMED"],
        ] as const) {
          const refused = await inv.error(OPS.consumeFromLot, consume(unavailable.id, "1"), inv.tokens.internal);
          expect(refused).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { status } });
        }
        const old = await inv.error(OPS.consumeFromLot, consume(expired.id, "1"), inv.tokens.internal);
        expect(old).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { status: "AVAILABLE", expiresAt } });
        const short = await inv.error(OPS.consumeFromLot, consume(lot.id, "5.5"), inv.tokens.internal);
        expect(short).toMatchObject({
          code: "INSUFFICIENT_QUANTITY",
          extensions: { available: "5", requested: "5.5" },
        });
        expect((await inv.error(OPS.consumeFromLot, consume(plant.site, "1"), inv.tokens.internal)).code).toBe(
          "NOT_FOUND",
        );
      });
    });

    it("consumes once for a repeated idempotencyKey, and refuses the key with another input", async () => {
      const lot = await receive(inv, plant, { quantity: "5" });
      const input = consume(lot.id, "2", { allowedMaterialIds: [plant.flour] });
      const first = await inv.data<ConsumeData>(OPS.consumeFromLot, input, inv.tokens.internal);
      const retry = await inv.data<ConsumeData>(OPS.consumeFromLot, input, inv.tokens.internal);
      expect(retry.consumeFromLot.movementId).toBe(first.consumeFromLot.movementId);
      expect(retry.consumeFromLot.lot.quantity).toBe("3");
      const other = await inv.error(
        OPS.consumeFromLot,
        { input: { ...input.input, quantity: "1" } },
        inv.tokens.internal,
      );
      expect(other.code).toBe("CONFLICT");
      const { lot: read } = await inv.data<{ lot: { quantity: string; movements: { totalCount: number } } }>(
        `query ($id: ID) { lot(id: $id) { quantity movements { totalCount } } }`,
        { id: lot.id },
      );
      expect(read).toEqual({ quantity: "3", movements: { totalCount: 2 } });
    });

    it("lets only as many of 20 parallel consumptions succeed as the lot holds", async () => {
      const lot = await receive(inv, plant, { quantity: "50" });
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          inv.post<ConsumeData>(OPS.consumeFromLot, consume(lot.id, "3"), inv.tokens.internal),
        ),
      );
      const ok = results.filter((r: GraphQLResult<ConsumeData>) => r.data?.consumeFromLot);
      const refusals = results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code);
      expect(ok).toHaveLength(16); // 16 × 3 = 48 ≤ 50 < 51
      expect(refusals).toHaveLength(4);
      expect(refusals.every((code) => code === "INSUFFICIENT_QUANTITY" || code === "LOT_UNAVAILABLE")).toBe(true);
      const balances = ok.map((r) => Number(r.data?.consumeFromLot.lot.quantity)).sort((a, b) => b - a);
      expect(balances).toEqual(Array.from({ length: 16 }, (_, i) => 50 - 3 * (i + 1)));
      const { lot: read } = await inv.data<{ lot: { quantity: string } }>(
        `query ($id: ID) { lot(id: $id) { quantity } }`,
        {
          id: lot.id,
        },
      );
      expect(read.quantity).toBe("2");
      await expectLedgerConsistent(inv.sql);
    });

    it("ends at CONSUMED when parallel demand empties the lot exactly; later ones see LOT_UNAVAILABLE", async () => {
      const lot = await receive(inv, plant, { quantity: "5" });
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          inv.post<ConsumeData>(OPS.consumeFromLot, consume(lot.id, "1"), inv.tokens.internal),
        ),
      );
      const codes = results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code);
      expect(results.filter((r) => r.data?.consumeFromLot)).toHaveLength(5);
      expect(codes).toEqual(Array.from({ length: 15 }, () => "LOT_UNAVAILABLE"));
      await expectLedgerConsistent(inv.sql);
    });
  });

  describe("produceLot", () => {
    it("creates a produced lot with a PRODUCTION movement and its serial units", async () => {
      const run = runId();
      const { produceLot } = await inv.data<ProduceData>(
        OPS.produceLot,
        {
          input: {
            runId: run,
            materialId: plant.widget,
            quantity: "3",
            code: "FG-1",
            locationId: plant.binB,
            serialNumbers: ["FG-1-001", "FG-1-002", "FG-1-003"],
            idempotencyKey: "out-1",
          },
        },
        inv.tokens.internal,
      );
      expect(produceLot.lot).toMatchObject({
        code: "FG-1",
        quantity: "3",
        status: "AVAILABLE",
        location: { code: "BIN-B" },
      });
      expect(produceLot.serials.map((s) => [s.serialNumber, s.status, s.lot.code, s.material.sku])).toEqual([
        ["FG-1-001", "AVAILABLE", "FG-1", "WIDGET"],
        ["FG-1-002", "AVAILABLE", "FG-1", "WIDGET"],
        ["FG-1-003", "AVAILABLE", "FG-1", "WIDGET"],
      ]);
      const { lot } = await inv.data<{ lot: { movements: { edges: Array<{ node: Record<string, unknown> }> } } }>(
        OPS.movements,
        { id: produceLot.lot.id },
      );
      expect(lot.movements.edges.map((e) => e.node)).toMatchObject([
        { kind: "PRODUCTION", quantity: "3", balance: "3", runId: run },
      ]);
      const retry = await inv.data<ProduceData>(
        OPS.produceLot,
        {
          input: {
            runId: run,
            materialId: plant.widget,
            quantity: "3",
            code: "FG-1",
            locationId: plant.binB,
            serialNumbers: ["FG-1-001", "FG-1-002", "FG-1-003"],
            idempotencyKey: "out-1",
          },
        },
        inv.tokens.internal,
      );
      expect(retry.produceLot.lot.id).toBe(produceLot.lot.id);
      expect(retry.produceLot.serials.map((s) => s.id)).toEqual(produceLot.serials.map((s) => s.id));
    });

    it("refuses without changing anything", async () => {
      const produce = (extra: Record<string, unknown>) => ({
        input: {
          runId: runId(),
          materialId: plant.flour,
          quantity: "10",
          code: nextCode("OUT"),
          locationId: plant.binA,
          idempotencyKey: nextCode("produce"),
          ...extra,
        },
      });
      const taken = await receive(inv, plant, { quantity: "1" });
      await inv.data(
        OPS.produceLot,
        produce({ materialId: plant.widget, quantity: "1", serialNumbers: ["DUP-1"] }),
        inv.tokens.internal,
      );
      await expectNothingChanged(inv.sql, async () => {
        expect((await inv.error(OPS.produceLot, produce({}))).code).toBe("UNAUTHENTICATED");
        expect((await inv.error(OPS.produceLot, produce({}), inv.tokens.admin)).code).toBe("FORBIDDEN");
        expect((await inv.error(OPS.produceLot, produce({ quantity: "0" }), inv.tokens.internal)).code).toBe(
          "BAD_USER_INPUT",
        );
        for (const serials of [
          { quantity: "2", serialNumbers: ["A"] },
          { quantity: "2" },
          { serialNumbers: ["X"], quantity: "1", materialId: plant.flour },
        ]) {
          const refused = await inv.error(
            OPS.produceLot,
            produce({ materialId: plant.widget, ...serials }),
            inv.tokens.internal,
          );
          expect(refused.code).toBe("BAD_USER_INPUT");
        }
        const duplicate = await inv.error(
          OPS.produceLot,
          produce({ materialId: plant.widget, quantity: "1", serialNumbers: ["DUP-1"] }),
          inv.tokens.internal,
        );
        expect(duplicate).toMatchObject({ code: "CONFLICT", extensions: { field: "serialNumbers" } });
        expect((await inv.error(OPS.produceLot, produce({ code: taken.code }), inv.tokens.internal)).code).toBe(
          "CONFLICT",
        );
        expect((await inv.error(OPS.produceLot, produce({ materialId: plant.site }), inv.tokens.internal)).code).toBe(
          "BAD_USER_INPUT",
        );
      });
    });
  });

  it("keeps every lot's on-hand equal to its ledger after all of the above", async () => {
    await expectLedgerConsistent(inv.sql);
  });
});
