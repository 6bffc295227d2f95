import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPS, receive, receiveExpired, setStatus, setUpPlant, type Plant, type TestLot } from "./fixtures.ts";
import {
  expectLedgerConsistent,
  expectNothingChanged,
  startInventory,
  testTargets,
  type TestInventory,
} from "./support.ts";

type LotPayload<K extends string> = Record<K, { lot: TestLot & { serials?: Array<{ status: string }> } }>;

describe.each(testTargets())("inventory stock changes: receive, move, adjust, scrap ($name)", (target) => {
  let inv: TestInventory;
  let plant: Plant;

  beforeAll(async () => {
    inv = await startInventory(target);
    plant = await setUpPlant(inv);
  });
  afterAll(async () => {
    await inv?.close();
  });

  it("receives a lot as a RECEIPT movement naming the actor, the balance and the location", async () => {
    const lot = await receive(inv, plant, { quantity: "12.500" });
    expect(lot).toMatchObject({ quantity: "12.5", status: "AVAILABLE", location: { code: "BIN-A" } });
    const { lot: read } = await inv.data<{ lot: { movements: { edges: Array<{ node: unknown }> } } }>(OPS.movements, {
      id: lot.id,
    });
    expect(read.movements.edges.map((e) => e.node)).toEqual([
      {
        kind: "RECEIPT",
        quantity: "12.5",
        balance: "12.5",
        reason: null,
        actorId: "user-otto-operator",
        actorName: "Otto Operator",
        runId: null,
        fromLocation: null,
        toLocation: { code: "BIN-A" },
        shipment: null,
      },
    ]);
  });

  it("receives a SERIAL material only with one unique serial number per unit", async () => {
    const lot = await receive(inv, plant, { materialId: plant.widget, quantity: "2", serialNumbers: ["W-1", "W-2"] });
    const serials = await inv.data<{ serialUnit: { serialNumber: string; status: string; lot: { id: string } } }>(
      `query { serialUnit(serialNumber: "W-2") { serialNumber status lot { id } } }`,
    );
    expect(serials.serialUnit).toEqual({ serialNumber: "W-2", status: "AVAILABLE", lot: { id: lot.id } });
    const input = (extra: Record<string, unknown>) => ({
      input: { materialId: plant.widget, locationId: plant.binA, code: "L-SER-X", ...extra },
    });
    await expectNothingChanged(inv.sql, async () => {
      for (const extra of [
        { quantity: "3", serialNumbers: ["W-3", "W-4"] },
        { quantity: "2" },
        { quantity: "1.5", serialNumbers: ["W-5"] },
        { quantity: "2", serialNumbers: ["W-6", "W-6"] },
      ]) {
        expect((await inv.error(OPS.receiveLot, input(extra), inv.tokens.operator)).code).toBe("BAD_USER_INPUT");
      }
      expect(
        (await inv.error(OPS.receiveLot, input({ quantity: "1", serialNumbers: ["W-1"] }), inv.tokens.operator)).code,
      ).toBe("CONFLICT");
      const lotMaterial = {
        input: {
          materialId: plant.flour,
          locationId: plant.binA,
          code: "L-SER-Y",
          quantity: "1",
          serialNumbers: ["Z"],
        },
      };
      expect((await inv.error(OPS.receiveLot, lotMaterial, inv.tokens.operator)).code).toBe("BAD_USER_INPUT");
    });
  });

  describe("moveLot", () => {
    it("records a TRANSFER of quantity 0 from → to, moves the lot and its serial units", async () => {
      const lot = await receive(inv, plant, { materialId: plant.widget, quantity: "1", serialNumbers: ["MV-1"] });
      const { moveLot } = await inv.data<LotPayload<"moveLot">>(
        OPS.moveLot,
        { input: { lotId: lot.id, toLocationId: plant.binB, reason: "restock" } },
        inv.tokens.operator,
      );
      expect(moveLot.lot).toMatchObject({ quantity: "1", status: "AVAILABLE", location: { code: "BIN-B" } });
      const { lot: read } = await inv.data<{ lot: { movements: { edges: Array<{ node: Record<string, unknown> }> } } }>(
        OPS.movements,
        { id: lot.id },
      );
      expect(read.movements.edges.at(-1)?.node).toMatchObject({
        kind: "TRANSFER",
        quantity: "0",
        balance: "1",
        reason: "restock",
        fromLocation: { code: "BIN-A" },
        toLocation: { code: "BIN-B" },
      });
      const serial = await inv.data<{ serialUnit: { location: { code: string } } }>(
        `query { serialUnit(serialNumber: "MV-1") { location { code } } }`,
      );
      expect(serial.serialUnit.location.code).toBe("BIN-B");
    });

    it("moves held stock (quarantine areas exist for it) but not a lot that is gone", async () => {
      const held = await receive(inv, plant, { quantity: "5" });
      await setStatus(inv, held.id, "ON_HOLD");
      const { moveLot } = await inv.data<LotPayload<"moveLot">>(
        OPS.moveLot,
        { input: { lotId: held.id, toLocationId: plant.binB } },
        inv.tokens.operator,
      );
      expect(moveLot.lot).toMatchObject({ status: "ON_HOLD", location: { code: "BIN-B" } });
    });

    it("refuses without changing anything", async () => {
      const lot = await receive(inv, plant, { quantity: "5" });
      const gone = await receive(inv, plant, { quantity: "5" });
      await setStatus(inv, gone.id, "CONSUMED");
      const move = (lotId: string, toLocationId: string) => ({ input: { lotId, toLocationId } });
      await expectNothingChanged(inv.sql, async () => {
        expect((await inv.error(OPS.moveLot, move(lot.id, plant.binB))).code).toBe("UNAUTHENTICATED");
        expect((await inv.error(OPS.moveLot, move(lot.id, plant.binB), inv.tokens.viewer)).code).toBe("FORBIDDEN");
        const bad = await inv.error(OPS.moveLot, move("not-an-id", "nope"), inv.tokens.operator);
        expect(bad.code).toBe("BAD_USER_INPUT");
        expect(bad.extensions.fields).toEqual([
          { field: "lotId", message: "not a valid id" },
          { field: "toLocationId", message: "not a valid id" },
        ]);
        expect((await inv.error(OPS.moveLot, move(lot.id, lot.id), inv.tokens.operator)).code).toBe("BAD_USER_INPUT");
        expect((await inv.error(OPS.moveLot, move(lot.id, plant.binA), inv.tokens.operator)).code).toBe(
          "BAD_USER_INPUT",
        );
        const unavailable = await inv.error(OPS.moveLot, move(gone.id, plant.binB), inv.tokens.operator);
        expect(unavailable).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { status: "CONSUMED" } });
        expect((await inv.error(OPS.moveLot, move(plant.flour, plant.binB), inv.tokens.operator)).code).toBe(
          "NOT_FOUND",
        );
      });
    });
  });

  describe("adjustLot", () => {
    it("applies a signed correction with its reason; reaching zero keeps the status", async () => {
      const lot = await receive(inv, plant, { quantity: "10" });
      const up = await inv.data<LotPayload<"adjustLot">>(
        OPS.adjustLot,
        { input: { lotId: lot.id, delta: "0.25", reason: "cycle count" } },
        inv.tokens.manager,
      );
      expect(up.adjustLot.lot.quantity).toBe("10.25");
      const down = await inv.data<LotPayload<"adjustLot">>(
        OPS.adjustLot,
        { input: { lotId: lot.id, delta: "-10.25", reason: "bag found torn" } },
        inv.tokens.manager,
      );
      expect(down.adjustLot.lot).toMatchObject({ quantity: "0", status: "AVAILABLE" });
    });

    it("refuses without changing anything", async () => {
      const lot = await receive(inv, plant, { quantity: "10" });
      const gone = await receive(inv, plant, { quantity: "5" });
      await setStatus(inv, gone.id, "SHIPPED");
      const adjust = (lotId: string, delta: string, reason = "count") => ({ input: { lotId, delta, reason } });
      await expectNothingChanged(inv.sql, async () => {
        expect((await inv.error(OPS.adjustLot, adjust(lot.id, "1"))).code).toBe("UNAUTHENTICATED");
        expect((await inv.error(OPS.adjustLot, adjust(lot.id, "1"), inv.tokens.operator)).code).toBe("FORBIDDEN");
        const bad = await inv.error(OPS.adjustLot, adjust(lot.id, "0", " "), inv.tokens.manager);
        expect(bad.code).toBe("BAD_USER_INPUT");
        expect((bad.extensions.fields as Array<{ field: string }>).map((f) => f.field)).toEqual(["delta", "reason"]);
        expect((await inv.error(OPS.adjustLot, adjust(lot.id, "1.0000001"), inv.tokens.manager)).code).toBe(
          "BAD_USER_INPUT",
        );
        const short = await inv.error(OPS.adjustLot, adjust(lot.id, "-10.5"), inv.tokens.manager);
        expect(short).toMatchObject({
          code: "INSUFFICIENT_QUANTITY",
          extensions: { available: "10", requested: "10.5" },
        });
        const unavailable = await inv.error(OPS.adjustLot, adjust(gone.id, "1"), inv.tokens.manager);
        expect(unavailable).toMatchObject({ code: "LOT_UNAVAILABLE", extensions: { status: "SHIPPED" } });
      });
    });
  });

  describe("scrapLot", () => {
    it("scraps part, then all (quantity omitted): the lot and its serial units become SCRAPPED", async () => {
      const lot = await receive(inv, plant, {
        materialId: plant.widget,
        quantity: "3",
        serialNumbers: ["S-1", "S-2", "S-3"],
      });
      const part = await inv.data<LotPayload<"scrapLot">>(
        OPS.scrapLot,
        { input: { lotId: lot.id, quantity: "1", reason: "dented" } },
        inv.tokens.manager,
      );
      expect(part.scrapLot.lot).toMatchObject({ quantity: "2", status: "AVAILABLE" });
      const all = await inv.data<LotPayload<"scrapLot">>(
        OPS.scrapLot,
        { input: { lotId: lot.id, reason: "recall" } },
        inv.tokens.manager,
      );
      expect(all.scrapLot.lot).toMatchObject({ quantity: "0", status: "SCRAPPED" });
      expect(all.scrapLot.lot.serials?.map((s) => s.status)).toEqual(["SCRAPPED", "SCRAPPED", "SCRAPPED"]);
    });

    it("scraps held and expired stock: that is what happens to it", async () => {
      const held = await receive(inv, plant, { quantity: "4" });
      await setStatus(inv, held.id, "ON_HOLD");
      const expired = await receiveExpired(inv, plant, { quantity: "4" }, "2020-01-01T00:00:00Z");
      for (const lot of [held, expired]) {
        const { scrapLot } = await inv.data<LotPayload<"scrapLot">>(
          OPS.scrapLot,
          { input: { lotId: lot.id, reason: "disposition: scrap" } },
          inv.tokens.manager,
        );
        expect(scrapLot.lot).toMatchObject({ quantity: "0", status: "SCRAPPED" });
      }
    });

    it("refuses without changing anything", async () => {
      const lot = await receive(inv, plant, { quantity: "2" });
      const serial = await receive(inv, plant, {
        materialId: plant.widget,
        quantity: "2",
        serialNumbers: ["SX-1", "SX-2"],
      });
      const gone = await receive(inv, plant, { quantity: "2" });
      await setStatus(inv, gone.id, "SCRAPPED");
      const scrap = (lotId: string, quantity?: string, reason = "damaged") => ({ input: { lotId, quantity, reason } });
      await expectNothingChanged(inv.sql, async () => {
        expect((await inv.error(OPS.scrapLot, scrap(lot.id))).code).toBe("UNAUTHENTICATED");
        expect((await inv.error(OPS.scrapLot, scrap(lot.id), inv.tokens.operator)).code).toBe("FORBIDDEN");
        expect((await inv.error(OPS.scrapLot, scrap(lot.id, "-1"), inv.tokens.manager)).code).toBe("BAD_USER_INPUT");
        expect((await inv.error(OPS.scrapLot, scrap(lot.id, "1", ""), inv.tokens.manager)).code).toBe("BAD_USER_INPUT");
        expect((await inv.error(OPS.scrapLot, scrap(serial.id, "0.5"), inv.tokens.manager)).code).toBe(
          "BAD_USER_INPUT",
        );
        expect((await inv.error(OPS.scrapLot, scrap(lot.id, "3"), inv.tokens.manager)).code).toBe(
          "INSUFFICIENT_QUANTITY",
        );
        expect((await inv.error(OPS.scrapLot, scrap(gone.id), inv.tokens.manager)).code).toBe("LOT_UNAVAILABLE");
      });
    });
  });

  it("pages a lot's ledger oldest first and keeps every lot's on-hand equal to its ledger", async () => {
    const lot = await receive(inv, plant, { quantity: "100" });
    for (const delta of ["1", "-2", "3", "-4"]) {
      await inv.data(OPS.adjustLot, { input: { lotId: lot.id, delta, reason: `count ${delta}` } }, inv.tokens.manager);
    }
    type Page = {
      lot: {
        quantity: string;
        movements: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: Array<{ node: { kind: string; quantity: string; balance: string } }>;
        };
      };
    };
    const first = await inv.data<Page>(OPS.movements, { id: lot.id, first: 3 });
    expect(first.lot.movements.totalCount).toBe(5);
    expect(first.lot.movements.edges.map((e) => [e.node.quantity, e.node.balance])).toEqual([
      ["100", "100"],
      ["1", "101"],
      ["-2", "99"],
    ]);
    const second = await inv.data<Page>(OPS.movements, {
      id: lot.id,
      first: 3,
      after: first.lot.movements.pageInfo.endCursor,
    });
    expect(second.lot.movements.edges.map((e) => e.node.balance)).toEqual(["102", "98"]);
    expect(second.lot.movements.pageInfo.hasNextPage).toBe(false);
    expect(second.lot.quantity).toBe("98");
    await expectLedgerConsistent(inv.sql);
  });

  it("audits every stock change with actor, reason, before and after", async () => {
    const lot = await receive(inv, plant, { quantity: "7" });
    await inv.data(OPS.adjustLot, { input: { lotId: lot.id, delta: "-2", reason: "spill" } }, inv.tokens.manager);
    const rows = await inv.sql.query<{
      action: string;
      actor_name: string;
      reason: string | null;
      before: unknown;
      after: unknown;
    }>("SELECT action, actor_name, reason, before, after FROM audit_log WHERE entity_id = $1 ORDER BY seq", [lot.id]);
    expect(rows.map((r) => [r.action, r.actor_name, r.reason])).toEqual([
      ["lot.received", "Otto Operator", null],
      ["lot.adjusted", "Mia Manager", "spill"],
    ]);
    expect(rows[1]).toMatchObject({ before: { quantity: "7" }, after: { quantity: "5", delta: "-2" } });
  });
});
