import { randomUUID } from "node:crypto";
import { auditTrail } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOT_FIELDS, OPS, nextCode, receive, runId, setUpPlant, type Plant, type TestLot } from "./fixtures.ts";
import {
  expectLedgerConsistent,
  expectNothingChanged,
  startInventory,
  testTargets,
  type TestInventory,
} from "./support.ts";

const SCRAP = `mutation ($input: ScrapLotInternalInput!) {
  scrapLotInternal(input: $input) { lot { ${LOT_FIELDS} serials { status } } }
}`;
const SET_HOLD = `mutation ($input: SetLotHoldInput!) { setLotHold(input: $input) { lots { id status } } }`;

interface ScrapData {
  scrapLotInternal: { lot: TestLot & { serials: Array<{ status: string }> } };
}

describe.each(testTargets())("inventory scrapLotInternal for quality's SCRAP disposition ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  const scrapInput = (lotId: string, extra: Record<string, unknown> = {}) => ({
    input: {
      lotId,
      reason: "SCRAP disposition: metal fragments",
      nonConformanceId: randomUUID(),
      idempotencyKey: nextCode("scrap"),
      ...extra,
    },
  });
  const hold = (lotId: string) =>
    inv.data(
      SET_HOLD,
      { input: { lotIds: [lotId], holdId: randomUUID(), reason: "FAIL", idempotencyKey: nextCode("hold") } },
      inv.tokens.internal,
    );

  it("scraps everything left of a held lot: a SCRAP movement, SCRAPPED, the nonconformance named", async () => {
    const lot = await receive(inv, plant, {
      materialId: plant.widget,
      quantity: "3",
      serialNumbers: ["N-1", "N-2", "N-3"],
    });
    await hold(lot.id);
    const nonConformanceId = randomUUID();
    const { scrapLotInternal } = await inv.data<ScrapData>(
      SCRAP,
      scrapInput(lot.id, { nonConformanceId, performedBy: { id: "user-mia", name: "Mia Manager" } }),
      inv.tokens.internal,
    );
    expect(scrapLotInternal.lot).toMatchObject({ id: lot.id, quantity: "0", status: "SCRAPPED" });
    expect(scrapLotInternal.lot.serials.map((s) => s.status)).toEqual(["SCRAPPED", "SCRAPPED", "SCRAPPED"]);

    const reason = `nonconformance ${nonConformanceId}: SCRAP disposition: metal fragments`;
    const { lot: read } = await inv.data<{
      lot: { movements: { edges: Array<{ node: Record<string, unknown> }> } };
    }>(OPS.movements, { id: lot.id });
    expect(read.movements.edges.at(-1)?.node).toMatchObject({
      kind: "SCRAP",
      quantity: "-3",
      balance: "0",
      reason,
      actorName: "Mia Manager",
    });
    expect((await auditTrail(inv.sql, "Lot", lot.id)).at(-1)).toMatchObject({
      action: "lot.scrapped",
      actor: { id: "user-mia", name: "Mia Manager" },
      reason,
      before: { status: "ON_HOLD", quantity: "3" },
      after: { status: "SCRAPPED", quantity: "0", scrapped: "3", nonConformanceId, via: "production" },
    });
    const [event] = await inv.sql.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM outbox WHERE subject = 'lotgraph.inventory.lot.scrapped' AND entity_id = $1",
      [lot.id],
    );
    expect(event?.payload).toMatchObject({ status: "SCRAPPED", quantity: "3", nonConformanceId, reason });
    await expectLedgerConsistent(inv.sql);
  });

  it("scraps once for a repeated idempotencyKey and refuses the key with another input", async () => {
    const lot = await receive(inv, plant, { quantity: "7" });
    const input = scrapInput(lot.id);
    await inv.data(SCRAP, input, inv.tokens.internal);
    const replay = await expectNothingChanged(inv.sql, () => inv.data<ScrapData>(SCRAP, input, inv.tokens.internal));
    expect(replay.scrapLotInternal.lot).toMatchObject({ quantity: "0", status: "SCRAPPED" });
    const other = await inv.error(SCRAP, { input: { ...input.input, reason: "another" } }, inv.tokens.internal);
    expect(other.code).toBe("CONFLICT");
    const movements = await inv.sql.query("SELECT 1 FROM stock_movement WHERE lot_id = $1 AND kind = 'SCRAP'", [
      lot.id,
    ]);
    expect(movements).toHaveLength(1);
  });

  it("refuses without changing anything: tokens, closed lots, unknown lots, invalid input", async () => {
    const lot = await receive(inv, plant, { quantity: "5" });
    const consumed = await receive(inv, plant, { quantity: "1" });
    await inv.data(
      OPS.consumeFromLot,
      { input: { lotId: consumed.id, quantity: "1", runId: runId(), idempotencyKey: nextCode("consume") } },
      inv.tokens.internal,
    );
    const shipped = await receive(inv, plant, { quantity: "1" });
    await inv.data(
      OPS.shipLots,
      {
        input: { customerId: plant.customer, reference: nextCode("PO"), lines: [{ lotId: shipped.id, quantity: "1" }] },
      },
      inv.tokens.operator,
    );
    const scrapped = await receive(inv, plant, { quantity: "1" });
    await inv.data(SCRAP, scrapInput(scrapped.id), inv.tokens.internal);

    await expectNothingChanged(inv.sql, async () => {
      expect((await inv.error(SCRAP, scrapInput(lot.id))).code).toBe("UNAUTHENTICATED");
      for (const token of [inv.tokens.operator, inv.tokens.manager, inv.tokens.admin]) {
        expect((await inv.error(SCRAP, scrapInput(lot.id), token)).code).toBe("FORBIDDEN");
      }
      for (const [closed, status] of [
        [consumed, "CONSUMED"],
        [shipped, "SHIPPED"],
        [scrapped, "SCRAPPED"],
      ] as const) {
        expect(await inv.error(SCRAP, scrapInput(closed.id), inv.tokens.internal)).toMatchObject({
          code: "LOT_UNAVAILABLE",
          extensions: { status },
        });
      }
      expect((await inv.error(SCRAP, scrapInput(randomUUID()), inv.tokens.internal)).code).toBe("NOT_FOUND");
      const invalid = await inv.error(
        SCRAP,
        { input: { lotId: "nope", reason: " ", nonConformanceId: "", idempotencyKey: "" } },
        inv.tokens.internal,
      );
      expect((invalid.extensions.fields as Array<{ field: string }>).map((f) => f.field)).toEqual([
        "lotId",
        "reason",
        "nonConformanceId",
        "idempotencyKey",
      ]);
    });
    const { lot: still } = await inv.data<{ lot: TestLot }>(`query ($id: ID) { lot(id: $id) { ${LOT_FIELDS} } }`, {
      id: lot.id,
    });
    expect(still).toMatchObject({ quantity: "5", status: "AVAILABLE" });
  });
});
