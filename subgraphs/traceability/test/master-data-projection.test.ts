import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SUBJECTS, createLogger, type BusMessage } from "@lotgraph/kit";
import { buildFsma204Rows } from "../src/domain/exports/fsma204.ts";
import { gatherTraceFacts } from "../src/domain/exports/trace-facts.ts";
import { applyOrPark } from "../src/projection/projection.ts";
import { SqlExportFacts } from "../src/facts/sql-export-facts.ts";
import { SqlGenealogyStore } from "../src/genealogy/sql/sql-genealogy-store.ts";
import { openTraceDb, testTargets, type TraceDb } from "./support.ts";

let clock = Date.parse("2026-02-01T06:00:00.000Z");
const tick = () => new Date((clock += 1000)).toISOString();
const message = (subject: string, entityType: string, entityId: string, payload: Record<string, unknown>) => {
  const at = tick();
  return { id: randomUUID(), subject, entityType, entityId, payload, occurredAt: at } satisfies BusMessage;
};

const id = () => randomUUID();
const ids = {
  flour: id(),
  cake: id(),
  site: id(),
  store: id(),
  binA: id(),
  binB: id(),
  mill: id(),
  shop: id(),
  line: id(),
  oldLine: id(),
  r1: id(),
  c1: id(),
  c2: id(),
  c3: id(),
  run: id(),
  oldRun: id(),
  shipment: id(),
};

const master = {
  material: (materialId: string, sku: string, name: string) =>
    message(SUBJECTS.inventory.materialCreated, "Material", materialId, { sku, name, uom: "kg", kind: "RAW" }),
  location: (locationId: string, code: string, name: string, kind: string, parentId: string | null) =>
    message(SUBJECTS.inventory.locationCreated, "Location", locationId, { code, name, kind, parentId }),
  party: (partyId: string, code: string, name: string, kind: string) =>
    message(SUBJECTS.inventory.partyCreated, "Party", partyId, { code, name, kind }),
  line: (lineId: string, code: string, name: string) =>
    message(SUBJECTS.production.lineCreated, "Line", lineId, { lineId, code, name }),
};

/** A small plant: flour from MILL into STORE; run on line L1 makes C1, C2 into two bins; both ship to SHOP. */
function plantHistory(): BusMessage[] {
  const output = (runId: string, lineId: string | null, lotId: string, locationId: string | undefined) =>
    message(SUBJECTS.production.outputRecorded, "ProductionRun", runId, {
      runId,
      lineId,
      outputId: id(),
      lotId,
      materialId: ids.cake,
      quantity: "5",
      serialIds: [],
      inputLotIds: [ids.r1],
      recordedAt: tick(),
      // Absent as in events written before output.recorded carried it.
      ...(locationId === undefined ? {} : { locationId }),
    });
  const produced = (lotId: string, code: string, runId: string, locationId: string) =>
    message(SUBJECTS.inventory.lotProduced, "Lot", lotId, {
      lotId,
      code,
      materialId: ids.cake,
      quantity: "5",
      uom: "kg",
      locationId,
      runId,
      serials: [],
      createdAt: tick(),
    });
  return [
    master.material(ids.flour, "FLOUR", "Wheat flour"),
    master.material(ids.cake, "CAKE", "Sponge cake"),
    master.location(ids.site, "SITE", "Bakery", "SITE", null),
    master.location(ids.store, "STORE", "Store", "AREA", ids.site),
    master.location(ids.binA, "BIN-A", "Bin A", "BIN", ids.store),
    master.location(ids.binB, "BIN-B", "Bin B", "BIN", ids.store),
    master.party(ids.mill, "MILL", "Mill", "SUPPLIER"),
    master.party(ids.shop, "SHOP", "Shop", "CUSTOMER"),
    master.line(ids.line, "L1", "Line 1"),
    // Written before line.created carried a name: the line stays unnamed.
    message(SUBJECTS.production.lineCreated, "Line", ids.oldLine, { lineId: ids.oldLine, code: "OLD" }),
    message(SUBJECTS.inventory.lotReceived, "Lot", ids.r1, {
      code: "R1",
      materialId: ids.flour,
      quantity: "100",
      uom: "kg",
      locationId: ids.store,
      supplierId: ids.mill,
      supplierLotCode: "SL-FLOUR",
      createdAt: tick(),
    }),
    message(SUBJECTS.production.consumptionRecorded, "ProductionRun", ids.run, {
      runId: ids.run,
      lineId: ids.line,
      consumptionId: id(),
      lotId: ids.r1,
      quantity: "10",
      outputLotIds: [],
      consumedAt: tick(),
    }),
    output(ids.run, ids.line, ids.c1, ids.binA),
    produced(ids.c1, "C1", ids.run, ids.binA),
    output(ids.run, ids.line, ids.c2, ids.binB),
    produced(ids.c2, "C2", ids.run, ids.binB),
    // A run on the unnamed line: the output location stands in for it.
    message(SUBJECTS.production.consumptionRecorded, "ProductionRun", ids.oldRun, {
      runId: ids.oldRun,
      lineId: ids.oldLine,
      consumptionId: id(),
      lotId: ids.r1,
      quantity: "1",
      outputLotIds: [],
      consumedAt: tick(),
    }),
    output(ids.oldRun, ids.oldLine, ids.c3, ids.binA),
    produced(ids.c3, "C3", ids.oldRun, ids.binA),
    ...[ids.c1, ids.c2].map((lotId, index) =>
      message(SUBJECTS.inventory.lotShipped, "Lot", lotId, {
        lotId,
        movementId: id(),
        onHand: "3",
        status: "AVAILABLE",
        shipmentId: ids.shipment,
        customerId: ids.shop,
        quantity: "2",
        locationId: index === 0 ? ids.binA : ids.binB,
      }),
    ),
    message(SUBJECTS.inventory.shipmentCreated, "Shipment", ids.shipment, {
      customerId: ids.shop,
      reference: "SO-1",
      shippedAt: tick(),
      lines: [
        { lotId: ids.c1, quantity: "2", locationId: ids.binA },
        { lotId: ids.c2, quantity: "2", locationId: ids.binB },
      ],
    }),
  ];
}

const MASTER_TABLES = ["material_fact", "location_fact", "party_fact", "line_fact", "run_fact"] as const;

describe.each(testTargets())("master data for the exports ($name)", ({ target }) => {
  let db: TraceDb;
  const logger = createLogger("silent", "test");
  const apply = async (history: readonly BusMessage[]) => {
    for (const m of history) await db.transaction((tx) => applyOrPark(tx, m, logger));
  };
  const tables = async () =>
    Object.fromEntries(
      await Promise.all(
        MASTER_TABLES.map(async (table) => [table, await db.driver.query(`SELECT * FROM ${table} ORDER BY 1`)]),
      ),
    );
  const facts = (lotId: string, direction: "UPSTREAM" | "DOWNSTREAM") =>
    gatherTraceFacts(
      { genealogy: new SqlGenealogyStore(db.client), reads: new SqlExportFacts(db.client) },
      lotId,
      direction,
    );

  beforeEach(async () => {
    db = await openTraceDb(target());
  });
  afterEach(async () => {
    await db?.close();
  });

  it("upserts master data by id: a replay, or an older event without the fields, changes nothing", async () => {
    const history = plantHistory();
    await apply(history);
    const once = await tables();
    expect(once.material_fact).toHaveLength(2);
    expect(once.location_fact).toHaveLength(4);
    expect(await db.driver.query(`SELECT code, name, kind FROM party_fact WHERE party_id = $1`, [ids.shop])).toEqual([
      { code: "SHOP", name: "Shop", kind: "CUSTOMER" },
    ]);

    await apply(history);
    // Events as inventory wrote them before they carried names: they parse, and blank nothing.
    await apply([
      message(SUBJECTS.inventory.materialCreated, "Material", ids.flour, { sku: "FLOUR" }),
      message(SUBJECTS.inventory.locationCreated, "Location", ids.store, {}),
      message(SUBJECTS.inventory.partyCreated, "Party", ids.shop, {}),
    ]);
    expect(await tables()).toEqual(once);
  });

  it("follows a line's new code and name (line.updated); a deactivation leaves them as they were", async () => {
    await apply([master.line(ids.line, "L1", "Line 1")]);
    await apply([
      message(SUBJECTS.production.lineUpdated, "Line", ids.line, {
        lineId: ids.line,
        code: "L1-NEW",
        name: "Oven line",
        active: true,
      }),
      message(SUBJECTS.production.lineDeactivated, "Line", ids.line, {
        lineId: ids.line,
        code: "L1-NEW",
        name: "Oven line",
        active: false,
      }),
    ]);
    expect(await db.driver.query(`SELECT code, name FROM line_fact WHERE line_id = $1`, [ids.line])).toEqual([
      { code: "L1-NEW", name: "Oven line" },
    ]);
  });

  it("takes the new names of renamed master data (issue 20's update events)", async () => {
    await apply(plantHistory());
    await apply([
      message(SUBJECTS.inventory.materialUpdated, "Material", ids.flour, {
        sku: "FLOUR",
        name: "Rye flour",
        uom: "kg",
        kind: "RAW",
        tracking: "LOT",
        inspectionRequired: false,
        externalRef: "ERP-1",
        changed: ["name"],
      }),
      message(SUBJECTS.inventory.locationUpdated, "Location", ids.store, {
        code: "STORE",
        name: "Cold store",
        kind: "AREA",
        parentId: ids.site,
        changed: ["name"],
      }),
      message(SUBJECTS.inventory.partyUpdated, "Party", ids.shop, {
        code: "SHOP",
        name: "Corner shop",
        kind: "CUSTOMER",
        externalRef: null,
        changed: ["name"],
      }),
    ]);
    const names = async (table: string, key: string, id: string) =>
      (await db.driver.query<{ name: string }>(`SELECT name FROM ${table} WHERE ${key} = $1`, [id]))[0]?.name;
    expect(await names("material_fact", "material_id", ids.flour)).toBe("Rye flour");
    expect(await names("location_fact", "location_id", ids.store)).toBe("Cold store");
    expect(await names("party_fact", "party_id", ids.shop)).toBe("Corner shop");
  });

  it("keeps an older event's unknown names unknown: the export falls back to ids", async () => {
    const material = id();
    const party = id();
    const lot = id();
    await apply([
      message(SUBJECTS.inventory.materialCreated, "Material", material, { sku: "OLD" }),
      message(SUBJECTS.inventory.partyCreated, "Party", party, {}),
      message(SUBJECTS.inventory.lotReceived, "Lot", lot, {
        code: "L-OLD",
        materialId: material,
        quantity: "1",
        uom: "kg",
        locationId: null,
        supplierId: party,
        supplierLotCode: null,
        createdAt: tick(),
      }),
    ]);
    const trace = await facts(lot, "DOWNSTREAM");
    expect(trace.materials).toEqual([]);
    expect(trace.parties).toEqual([]);
    const [row] = buildFsma204Rows(trace);
    expect(row).toMatchObject({ productDescription: material, immediatePreviousSource: party });
  });

  it("names products, places and partners in the trace facts, and where runs and shipments happened", async () => {
    await apply(plantHistory());
    const trace = await facts(ids.r1, "DOWNSTREAM");
    expect(trace.materials?.sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      { id: ids.cake, sku: "CAKE", name: "Sponge cake" },
      { id: ids.flour, sku: "FLOUR", name: "Wheat flour" },
    ]);
    const place = (placeId: string | null | undefined) =>
      trace.locations?.find((l) => l.id === placeId)?.name ?? placeId;
    // The named line is where its run happened; the unnamed one gives way to the output location.
    expect(
      trace.transformations
        .map((t) => [t.runId, place(t.locationId)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      [
        [ids.run, "Line 1"],
        [ids.oldRun, "Bin A"],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // C1 left from bin A and C2 from bin B: the shipment left from the area holding both.
    expect(trace.shipments.map((s) => place(s.fromLocationId))).toEqual(["Store"]);
    expect(trace.parties?.map((p) => p.name).sort()).toEqual(["Mill", "Shop"]);
    // Only the places the facts name, not every ancestor read to find the common one.
    expect(trace.locations?.map((l) => l.name).sort()).toEqual(["Bin A", "Line 1", "Store"]);

    const rows = buildFsma204Rows(trace);
    expect(rows.find((r) => r.eventType === "Receiving")).toMatchObject({
      productDescription: "Wheat flour (FLOUR)",
      location: "Store (STORE)",
      immediatePreviousSource: "Mill (MILL)",
      traceabilityLotCodeSource: "Mill (MILL)",
    });
    expect(rows.find((r) => r.internalLotCode === "C1" && r.eventType === "Transformation")).toMatchObject({
      productDescription: "Sponge cake (CAKE)",
      location: "Line 1 (L1)",
    });
    expect(rows.find((r) => r.eventType === "Shipping")).toMatchObject({
      shipFromLocation: "Store (STORE)",
      shipToLocation: "Shop (SHOP)",
    });
  });

  it("ships from the lots' own location when they all left from one", async () => {
    await apply(plantHistory());
    const shipment = id();
    await apply([
      message(SUBJECTS.inventory.shipmentCreated, "Shipment", shipment, {
        customerId: ids.shop,
        reference: "SO-2",
        shippedAt: tick(),
        lines: [{ lotId: ids.c3, quantity: "1", locationId: ids.binA }],
      }),
    ]);
    const trace = await facts(ids.c3, "UPSTREAM");
    expect(trace.shipments.find((s) => s.shipmentId === shipment)?.fromLocationId).toBe(ids.binA);
  });
});
