import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPS, receive, receiveExpired, setStatus, setUpPlant, type Plant } from "./fixtures.ts";
import {
  expectLedgerConsistent,
  expectNothingChanged,
  startInventory,
  testTargets,
  type TestInventory,
} from "./support.ts";

interface ShipData {
  shipLots: {
    shipment: {
      id: string;
      reference: string;
      shippedBy: string;
      customer: { code: string };
      lines: Array<{ quantity: string; lot: { id: string; quantity: string; status: string } }>;
    };
  };
}

describe.each(testTargets())("inventory shipping ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  const ship = (
    lines: Array<{ lotId: string; quantity: string; serialNumbers?: readonly string[] }>,
    extra: Record<string, unknown> = {},
  ) => ({
    input: { customerId: plant.customer, reference: "PO-1001", lines, ...extra },
  });

  it("ships several lots at once: a shipment with lines, SHIPMENT movements, a lot shipped to zero is SHIPPED", async () => {
    const a = await receive(inv, plant, { quantity: "10" });
    const b = await receive(inv, plant, { materialId: plant.widget, quantity: "2", serialNumbers: ["SH-1", "SH-2"] });
    const { shipLots } = await inv.data<ShipData>(
      OPS.shipLots,
      ship([
        { lotId: a.id, quantity: "4" },
        { lotId: b.id, quantity: "2", serialNumbers: ["SH-2", "SH-1"] },
      ]),
      inv.tokens.operator,
    );
    expect(shipLots.shipment).toMatchObject({
      reference: "PO-1001",
      shippedBy: "Otto Operator",
      customer: { code: "SHOP" },
    });
    expect(shipLots.shipment.lines).toMatchObject([
      { quantity: "4", lot: { id: a.id, quantity: "6", status: "AVAILABLE" } },
      { quantity: "2", lot: { id: b.id, quantity: "0", status: "SHIPPED" } },
    ]);
    const serials = await inv.data<{ lot: { serials: Array<{ status: string }> } }>(
      `query ($id: ID) { lot(id: $id) { serials { status } } }`,
      { id: b.id },
    );
    expect(serials.lot.serials).toEqual([{ status: "SHIPPED" }, { status: "SHIPPED" }]);
    const movements = await inv.data<{ lot: { movements: { edges: Array<{ node: Record<string, unknown> }> } } }>(
      OPS.movements,
      { id: a.id },
    );
    expect(movements.lot.movements.edges.at(-1)?.node).toMatchObject({
      kind: "SHIPMENT",
      quantity: "-4",
      balance: "6",
      shipment: { reference: "PO-1001" },
    });
    const read = await inv.data<{ shipment: { id: string; lines: unknown[] } }>(
      `query ($id: ID!) { shipment(id: $id) { id lines { quantity } } }`,
      { id: shipLots.shipment.id },
    );
    expect(read.shipment.lines).toHaveLength(2);
    const events = await inv.sql.query<{ subject: string }>("SELECT subject FROM outbox WHERE entity_id = $1", [
      shipLots.shipment.id,
    ]);
    expect(events.map((e) => e.subject)).toEqual(["lotgraph.inventory.shipment.created"]);
    await expectLedgerConsistent(inv.sql);
  });

  it("ships exactly the serial units named; the others stay in stock", async () => {
    const numbers = ["SP-1", "SP-2", "SP-3", "SP-4", "SP-5"];
    const lot = await receive(inv, plant, { materialId: plant.widget, quantity: "5", serialNumbers: numbers });
    const other = await receive(inv, plant, { materialId: plant.widget, quantity: "1", serialNumbers: ["SP-X"] });
    const flour = await receive(inv, plant, { quantity: "3" });
    const units = async () =>
      (
        await inv.data<{
          lot: { quantity: string; status: string; serials: Array<{ serialNumber: string; status: string }> };
        }>(`query ($id: ID) { lot(id: $id) { quantity status serials { serialNumber status } } }`, { id: lot.id })
      ).lot;
    await expectNothingChanged(inv.sql, async () => {
      for (const [line, why] of [
        [{ lotId: lot.id, quantity: "3" }, /name the 3 unit/],
        [{ lotId: lot.id, quantity: "3", serialNumbers: ["SP-1", "SP-2"] }, /name the 3 unit/],
        [{ lotId: lot.id, quantity: "2", serialNumbers: ["SP-1", "SP-X"] }, /not in lot .*SP-X/],
        [{ lotId: lot.id, quantity: "2", serialNumbers: ["SP-1", "SP-1"] }, /unique/],
        [{ lotId: flour.id, quantity: "1", serialNumbers: ["SP-1"] }, /tracked by lot/],
      ] as const) {
        const refused = await inv.error(OPS.shipLots, ship([line]), inv.tokens.operator);
        expect(refused.code).toBe("BAD_USER_INPUT");
        expect(refused.message + JSON.stringify(refused.extensions)).toMatch(why);
      }
    });
    const shipped = await inv.data<{
      shipLots: { shipment: { lines: Array<{ serials: Array<{ serialNumber: string }> }> } };
    }>(
      `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { lines { serials { serialNumber } } } } }`,
      ship([{ lotId: lot.id, quantity: "3", serialNumbers: ["SP-4", "SP-1", "SP-2"] }]),
      inv.tokens.operator,
    );
    expect(shipped.shipLots.shipment.lines[0]?.serials.map((s) => s.serialNumber).sort()).toEqual([
      "SP-1",
      "SP-2",
      "SP-4",
    ]);
    expect(await units()).toEqual({
      quantity: "2",
      status: "AVAILABLE",
      serials: [
        { serialNumber: "SP-1", status: "SHIPPED" },
        { serialNumber: "SP-2", status: "SHIPPED" },
        { serialNumber: "SP-3", status: "AVAILABLE" },
        { serialNumber: "SP-4", status: "SHIPPED" },
        { serialNumber: "SP-5", status: "AVAILABLE" },
      ],
    });
    // A unit already shipped cannot ship again; the rest ship and close the lot.
    const again = await inv.error(
      OPS.shipLots,
      ship([{ lotId: lot.id, quantity: "2", serialNumbers: ["SP-3", "SP-4"] }]),
      inv.tokens.operator,
    );
    expect(again).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(again.message).toContain("SP-4 (SHIPPED)");
    await inv.data(
      OPS.shipLots,
      ship([{ lotId: lot.id, quantity: "2", serialNumbers: ["SP-3", "SP-5"] }]),
      inv.tokens.operator,
    );
    expect(await units()).toMatchObject({ quantity: "0", status: "SHIPPED" });
    expect((await units()).serials.every((s) => s.status === "SHIPPED")).toBe(true);
    expect(other.status).toBe("AVAILABLE");
    await expectLedgerConsistent(inv.sql);
  });

  it("lists shipments newest first, per customer", async () => {
    const lot = await receive(inv, plant, { quantity: "3" });
    for (const reference of ["PO-A", "PO-B"]) {
      await inv.data(OPS.shipLots, ship([{ lotId: lot.id, quantity: "1" }], { reference }), inv.tokens.operator);
    }
    const page = await inv.data<{ shipments: { totalCount: number; edges: Array<{ node: { reference: string } }> } }>(
      `query ($c: ID) { shipments(customerId: $c, first: 2) { totalCount edges { node { reference } } } }`,
      { c: plant.customer },
    );
    expect(page.shipments.edges.map((e) => e.node.reference)).toEqual(["PO-B", "PO-A"]);
    expect(page.shipments.totalCount).toBeGreaterThanOrEqual(3);
  });

  it("ships all lines or none: one bad line refuses the whole shipment and changes nothing", async () => {
    const good = await receive(inv, plant, { quantity: "10" });
    const held = await receive(inv, plant, { quantity: "10" });
    await setStatus(inv, held.id, "ON_HOLD");
    const quarantined = await receive(inv, plant, { quantity: "10" });
    await setStatus(inv, quarantined.id, "QUARANTINE");
    const expired = await receiveExpired(inv, plant, { quantity: "10" }, new Date(Date.now() - 1000).toISOString());
    const shipped = await receive(inv, plant, { quantity: "10" });
    await setStatus(inv, shipped.id, "SHIPPED");
    const serial = await receive(inv, plant, {
      materialId: plant.widget,
      quantity: "2",
      serialNumbers: ["SB-1", "SB-2"],
    });
    const with_ = (lotId: string, quantity = "1") => [
      { lotId: good.id, quantity: "1" },
      { lotId, quantity },
    ];
    await expectNothingChanged(inv.sql, async () => {
      expect((await inv.error(OPS.shipLots, ship(with_(held.id)))).code).toBe("UNAUTHENTICATED");
      expect((await inv.error(OPS.shipLots, ship(with_(held.id)), inv.tokens.viewer)).code).toBe("FORBIDDEN");
      for (const lot of [held, quarantined, shipped]) {
        const refused = await inv.error(OPS.shipLots, ship(with_(lot.id)), inv.tokens.operator);
        expect(refused).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { lotId: lot.id } });
      }
      const tooOld = await inv.error(OPS.shipLots, ship(with_(expired.id)), inv.tokens.operator);
      expect(tooOld).toMatchObject({
        code: "LOT_UNAVAILABLE",
        extensions: { status: "AVAILABLE", expiresAt: expired.expiresAt },
      });
      const short = await inv.error(OPS.shipLots, ship(with_(good.id.replace(/.$/, "0"), "1")), inv.tokens.operator);
      expect(short.code).toBe("BAD_USER_INPUT");
      const tooMuch = await inv.error(
        OPS.shipLots,
        ship([{ lotId: good.id, quantity: "10.000001" }]),
        inv.tokens.operator,
      );
      expect(tooMuch).toMatchObject({
        code: "INSUFFICIENT_QUANTITY",
        extensions: { available: "10", requested: "10.000001" },
      });
      const bad = await inv.error(
        OPS.shipLots,
        { input: { customerId: plant.customer, reference: "", lines: [] } },
        inv.tokens.operator,
      );
      expect((bad.extensions.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(["reference", "lines"]);
      const twice = await inv.error(
        OPS.shipLots,
        ship([
          { lotId: good.id, quantity: "1" },
          { lotId: good.id, quantity: "1" },
        ]),
        inv.tokens.operator,
      );
      expect(twice.code).toBe("BAD_USER_INPUT");
      const toSupplier = await inv.error(
        OPS.shipLots,
        ship([{ lotId: good.id, quantity: "1" }], { customerId: plant.supplier }),
        inv.tokens.operator,
      );
      expect(toSupplier).toMatchObject({ code: "BAD_USER_INPUT", extensions: { field: "customerId" } });
      expect(
        (await inv.error(OPS.shipLots, ship([{ lotId: serial.id, quantity: "0.5" }]), inv.tokens.operator)).code,
      ).toBe("BAD_USER_INPUT");
    });
  });

  it("returns the first shipment again for a repeated idempotencyKey and ships once", async () => {
    const lot = await receive(inv, plant, { quantity: "5" });
    const input = ship([{ lotId: lot.id, quantity: "2" }], { idempotencyKey: "asn-77" });
    const first = await inv.data<ShipData>(OPS.shipLots, input, inv.tokens.operator);
    const again = await inv.data<ShipData>(OPS.shipLots, input, inv.tokens.operator);
    expect(again.shipLots.shipment.id).toBe(first.shipLots.shipment.id);
    const { lot: read } = await inv.data<{ lot: { quantity: string } }>(
      `query ($id: ID) { lot(id: $id) { quantity } }`,
      {
        id: lot.id,
      },
    );
    expect(read.quantity).toBe("3");
  });
});
