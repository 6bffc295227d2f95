import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPS, nextCode, receive, setUpPlant, type Plant } from "./fixtures.ts";
import { expectNothingChanged, startInventory, testTargets, type TestInventory } from "./support.ts";

const DEACTIVATE_LOCATION = `mutation ($input: DeactivateLocationInput!) { deactivateLocation(input: $input) { location { active } } }`;
const DEACTIVATE_MATERIAL = `mutation ($input: DeactivateMaterialInput!) { deactivateMaterial(input: $input) { material { active } } }`;
const SET_HOLD = `mutation ($input: SetLotHoldInput!) { setLotHold(input: $input) { lots { id status updatedAt } } }`;
const LOT = `query ($id: ID) { lot(id: $id) { updatedAt } }`;
const MOVEMENTS = `query ($filter: StockMovementFilter) { stockMovements(filter: $filter) { totalCount edges { node { kind } } } }`;

interface Movements {
  stockMovements: { totalCount: number; edges: Array<{ node: { kind: string } }> };
}

/** Issue 20 inside inventory: what deactivation refuses, how updatedAt follows a lot, the ledger feed. */
describe.each(testTargets())("inventory master data changes and the ledger feed ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  it("refuses receipts, produced lots and moves into deactivated master data, writing nothing", async () => {
    const lot = await receive(inv, plant, { quantity: "5" });
    const bin = (
      await inv.data<{ createLocation: { location: { id: string } } }>(OPS.createLocation, {
        input: { code: nextCode("BIN"), name: "Closing bin", kind: "BIN", parentId: plant.site },
      })
    ).createLocation.location.id;
    await inv.data(DEACTIVATE_LOCATION, { input: { locationId: bin } }, inv.tokens.manager);
    const refusals: Array<[string, Record<string, unknown>, string]> = [
      [
        OPS.receiveLot,
        { materialId: plant.flour, quantity: "1", locationId: bin, code: nextCode() },
        inv.tokens.operator,
      ],
      [OPS.moveLot, { lotId: lot.id, toLocationId: bin }, inv.tokens.operator],
      [
        OPS.produceLot,
        {
          runId: randomUUID(),
          materialId: plant.flour,
          quantity: "1",
          code: nextCode(),
          locationId: bin,
          idempotencyKey: nextCode("produce"),
        },
        inv.tokens.internal,
      ],
    ];
    for (const [operation, input, token] of refusals) {
      const error = await expectNothingChanged(inv.sql, () => inv.error(operation, { input }, token));
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("is deactivated");
    }
  });

  it("keeps a lot's updatedAt current through holds, not only through the ledger", async () => {
    const lot = await receive(inv, plant, { quantity: "2" });
    const before = (await inv.data<{ lot: { updatedAt: string } }>(LOT, { id: lot.id })).lot.updatedAt;
    const [held] = (
      await inv.data<{ setLotHold: { lots: Array<{ status: string; updatedAt: string }> } }>(
        SET_HOLD,
        { input: { lotIds: [lot.id], holdId: nextCode("hold"), reason: "check", idempotencyKey: nextCode("h") } },
        inv.tokens.internal,
      )
    ).setLotHold.lots;
    expect(held?.status).toBe("ON_HOLD");
    expect(held!.updatedAt > before).toBe(true);
  });

  it("lists the movements of a deactivated material's lots: history stays", async () => {
    const material = (
      await inv.data<{ createMaterial: { material: { id: string } } }>(OPS.createMaterial, {
        input: { sku: nextCode("SKU"), name: "Old", uom: "kg", kind: "RAW", tracking: "LOT" },
      })
    ).createMaterial.material.id;
    await receive(inv, plant, { quantity: "1", materialId: material });
    await inv.data(DEACTIVATE_MATERIAL, { input: { materialId: material } }, inv.tokens.manager);
    // A movement shows once every transaction begun before it has ended (other suites share the
    // server): read as a poller would.
    await expect
      .poll(
        async () =>
          (
            await inv.data<Movements>(MOVEMENTS, { filter: { materialId: material } }, inv.tokens.viewer)
          ).stockMovements.edges.map((e) => e.node.kind),
        { timeout: 15_000, interval: 200 },
      )
      .toEqual(["RECEIPT"]);
  });

  // Concurrency needs a second connection, which in-memory PGlite (one connection) cannot give.
  it.runIf(target.name === "PostgreSQL")(
    "holds back movements recorded after one still being written, so a cursor never skips it",
    async () => {
      const material = (
        await inv.data<{ createMaterial: { material: { id: string } } }>(OPS.createMaterial, {
          input: { sku: nextCode("SKU"), name: "Feed", uom: "kg", kind: "RAW", tracking: "LOT" },
        })
      ).createMaterial.material.id;
      const count = async () =>
        (await inv.data<Movements>(MOVEMENTS, { filter: { materialId: material } }, inv.tokens.viewer)).stockMovements
          .totalCount;
      await inv.sql.transaction(async (tx) => {
        // A writer of the ledger whose transaction began first and has not committed yet.
        await tx.exec("LOCK TABLE stock_movement IN ROW EXCLUSIVE MODE");
        await tx.query("SELECT pg_current_xact_id()");
        await receive(inv, plant, { quantity: "1", materialId: material });
        expect(await count()).toBe(0);
      });
      // Then it shows, once any other transaction on the shared server that began before it ends.
      await expect.poll(count, { timeout: 15_000, interval: 200 }).toBe(1);
    },
  );
});
