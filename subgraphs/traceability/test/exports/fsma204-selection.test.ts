import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError, SUBJECTS, createLogger, type BusMessage, type Principal } from "@lotgraph/kit";
import { parseCsv } from "@lotgraph/tests/support/csv";
import { TraceExports } from "../../src/domain/exports/export-service.ts";
import type { Fsma204Query } from "../../src/domain/exports/fsma204-request.ts";
import { SqlExportFacts } from "../../src/facts/sql-export-facts.ts";
import { SqlFsma204Reads } from "../../src/facts/sql-fsma204-reads.ts";
import { SqlGenealogyStore } from "../../src/genealogy/sql/sql-genealogy-store.ts";
import { applyOrPark } from "../../src/projection/projection.ts";
import { openTraceDb, testTargets, type TraceDb } from "../support.ts";

const id = () => randomUUID();
const ids = {
  lettuce: id(),
  dressing: id(),
  salad: id(),
  farm: id(),
  dairy: id(),
  shop: id(),
  dock: id(),
  line: id(),
  L1: id(),
  L2: id(),
  L3: id(),
  D1: id(),
  S1: id(),
  S2: id(),
  run1: id(),
  run2: id(),
  so1: id(),
  so2: id(),
};

const message = (subject: string, entityType: string, entityId: string, payload: Record<string, unknown>) =>
  ({
    id: id(),
    subject,
    entityType,
    entityId,
    payload,
    occurredAt: new Date().toISOString(),
  }) satisfies BusMessage;

const material = (materialId: string, sku: string, name: string) =>
  message(SUBJECTS.inventory.materialCreated, "Material", materialId, { sku, name, uom: "kg", kind: "RAW" });
const party = (partyId: string, code: string, name: string, kind: string) =>
  message(SUBJECTS.inventory.partyCreated, "Party", partyId, { code, name, kind });
const received = (lotId: string, code: string, materialId: string, supplier: [string, string], at: string) =>
  message(SUBJECTS.inventory.lotReceived, "Lot", lotId, {
    code,
    materialId,
    quantity: "100",
    uom: "kg",
    locationId: ids.dock,
    supplierId: supplier[0],
    supplierLotCode: supplier[1],
    createdAt: at,
  });
const consumed = (runId: string, lotId: string, at: string) =>
  message(SUBJECTS.production.consumptionRecorded, "ProductionRun", runId, {
    runId,
    lineId: ids.line,
    consumptionId: id(),
    lotId,
    quantity: "10",
    outputLotIds: [],
    consumedAt: at,
  });
const output = (runId: string, lotId: string, code: string, inputLotIds: string[], at: string) => [
  message(SUBJECTS.production.outputRecorded, "ProductionRun", runId, {
    runId,
    lineId: ids.line,
    outputId: id(),
    lotId,
    materialId: ids.salad,
    quantity: "20",
    serialIds: [],
    inputLotIds,
    recordedAt: at,
    locationId: ids.dock,
  }),
  message(SUBJECTS.inventory.lotProduced, "Lot", lotId, {
    lotId,
    code,
    materialId: ids.salad,
    quantity: "20",
    uom: "kg",
    locationId: ids.dock,
    runId,
    serials: [],
    createdAt: at,
  }),
];
const shipped = (shipmentId: string, reference: string, lotIds: string[], at: string) =>
  message(SUBJECTS.inventory.shipmentCreated, "Shipment", shipmentId, {
    customerId: ids.shop,
    reference,
    shippedAt: at,
    lines: lotIds.map((lotId) => ({ lotId, quantity: "5", locationId: ids.dock })),
  });

/**
 * A salad plant in March 2026, each event at a set time: lettuce lots L1, L2 (supplier code SL-A)
 * and L3 (SL-B) from FARM, dressing D1 from DAIRY under the same code SL-A; run 1 makes salad S1
 * from L1 and D1, run 2 makes S2 from L2 and L3; SO-1 ships S1, SO-2 ships S2 and what is left of L2.
 */
const history = (): BusMessage[] => [
  material(ids.lettuce, "LETTUCE", "Romaine lettuce"),
  material(ids.dressing, "DRESSING", "Caesar dressing"),
  material(ids.salad, "SALAD", "Caesar salad kit"),
  party(ids.farm, "FARM", "Green Farm", "SUPPLIER"),
  party(ids.dairy, "DAIRY", "Dairy Co", "SUPPLIER"),
  party(ids.shop, "SHOP", "Shop", "CUSTOMER"),
  message(SUBJECTS.inventory.locationCreated, "Location", ids.dock, { code: "DOCK", name: "Dock", kind: "AREA" }),
  message(SUBJECTS.production.lineCreated, "Line", ids.line, { lineId: ids.line, code: "L1", name: "Salad line" }),
  received(ids.L1, "L1", ids.lettuce, [ids.farm, "SL-A"], "2026-03-01T08:00:00.000Z"),
  received(ids.L2, "L2", ids.lettuce, [ids.farm, "SL-A"], "2026-03-01T23:30:00.000Z"),
  received(ids.D1, "D1", ids.dressing, [ids.dairy, "SL-A"], "2026-03-02T09:00:00.000Z"),
  received(ids.L3, "L3", ids.lettuce, [ids.farm, "SL-B"], "2026-03-02T10:00:00.000Z"),
  consumed(ids.run1, ids.L1, "2026-03-03T07:00:00.000Z"),
  consumed(ids.run1, ids.D1, "2026-03-03T07:10:00.000Z"),
  ...output(ids.run1, ids.S1, "S1", [ids.L1, ids.D1], "2026-03-03T08:00:00.000Z"),
  shipped(ids.so1, "SO-1", [ids.S1], "2026-03-04T12:00:00.000Z"),
  consumed(ids.run2, ids.L2, "2026-03-05T06:00:00.000Z"),
  consumed(ids.run2, ids.L3, "2026-03-05T06:10:00.000Z"),
  ...output(ids.run2, ids.S2, "S2", [ids.L2, ids.L3], "2026-03-05T07:00:00.000Z"),
  shipped(ids.so2, "SO-2", [ids.S2, ids.L2], "2026-03-06T12:00:00.000Z"),
];

const auditor: Principal = { id: "auditor-1", name: "Auditor", kind: "user", roles: ["AUDITOR"] };
const viewer: Principal = { id: "viewer-1", name: "Viewer", kind: "user", roles: ["VIEWER"] };
const MARCH = { from: "2026-03-01", to: "2026-04-01" };

describe.each(testTargets())("FSMA 204 spreadsheet by supplier lot code, product and period ($name)", ({ target }) => {
  let db: TraceDb;
  const exportsWith = (pageEvents?: number) =>
    new TraceExports({
      genealogy: new SqlGenealogyStore(db.client),
      reads: new SqlExportFacts(db.client),
      fsma204: new SqlFsma204Reads(db.client),
      now: () => new Date("2026-04-02T10:00:00Z"),
      ...(pageEvents === undefined ? {} : { pageEvents }),
    });

  /** The download's pieces, and its records as [event type, internal lot code, event time] and by column. */
  async function download(query: Fsma204Query, pageEvents?: number) {
    const file = await exportsWith(pageEvents).fsma204Download(auditor, query);
    const pieces: string[] = [];
    for await (const piece of file.body) pieces.push(piece);
    const text = pieces.join("");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...records] = parseCsv(text.slice(1));
    const at = (record: string[], column: string) => record[header!.indexOf(column)] ?? "";
    return {
      filename: file.filename,
      pieces,
      text,
      records,
      at,
      events: records.map((r) => `${at(r, "Event Type")} ${at(r, "Internal Lot Code")}`),
    };
  }
  const refusal = async (query: Fsma204Query, caller: Principal | null = auditor) => {
    const error = await exportsWith()
      .fsma204Download(caller, query)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };

  beforeAll(async () => {
    db = await openTraceDb(target());
    const logger = createLogger("silent", "test");
    for (const m of history()) await db.transaction((tx) => applyOrPark(tx, m, logger));
  });
  afterAll(async () => {
    await db?.close();
  });

  it("lists a product's own events of the period, sorted by date then traceability lot code", async () => {
    const { events, records, at, filename } = await download({ productId: ids.lettuce, ...MARCH });
    expect(filename).toBe("fsma204-LETTUCE-2026-04-02.csv");
    expect(events).toEqual([
      "Receiving L1",
      "Receiving L2",
      // D1, received the same day, is another product's.
      "Receiving L3",
      "Transformation S1",
      "Transformation S2",
      // SO-2's lettuce line; its salad line is another product's shipment.
      "Shipping L2",
    ]);
    expect(records.map((r) => at(r, "Event Date"))).toEqual([
      "2026-03-01",
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
      "2026-03-05",
      "2026-03-06",
    ]);
    // A run that used the product shows all its inputs: the dressing too.
    const s1 = records.find((r) => at(r, "Internal Lot Code") === "S1")!;
    expect(at(s1, "Input Traceability Lot Codes")).toBe("SL-A; SL-A");
    expect(at(s1, "Input Details")).toContain("Caesar dressing (DRESSING)");
    expect(at(s1, "Location")).toBe("Salad line (L1)");
  });

  it("lists a finished product's runs and shipments, with its TLC source though its run lies before the period", async () => {
    const march = await download({ productId: ids.salad, ...MARCH });
    expect(march.events).toEqual(["Transformation S1", "Shipping S1", "Transformation S2", "Shipping S2"]);
    const late = await download({ productId: ids.salad, from: "2026-03-04", to: "2026-03-07" });
    expect(late.events).toEqual(["Shipping S1", "Transformation S2", "Shipping S2"]);
    const s1 = late.records.find((r) => late.at(r, "Internal Lot Code") === "S1")!;
    expect(late.at(s1, "Traceability Lot Code Source")).toBe("Salad line (L1)");
    expect(late.at(s1, "Ship-To Location")).toBe("Shop (SHOP)");
    expect(late.at(s1, "Reference Document Number")).toBe("SO-1");
  });

  it("includes an event exactly at from and excludes one exactly at to, in any time zone", async () => {
    const first = (to: string) => download({ productId: ids.lettuce, from: "2026-03-01T00:00:00Z", to });
    // L2 arrived at 23:30 UTC on 1 March.
    expect((await first("2026-03-01T23:30:00Z")).events).toEqual(["Receiving L1"]);
    expect((await first("2026-03-01T23:30:00.001Z")).events).toEqual(["Receiving L1", "Receiving L2"]);
    const fromL2 = await download({ productId: ids.lettuce, from: "2026-03-01T23:30:00Z", to: "2026-03-02" });
    expect(fromL2.events).toEqual(["Receiving L2"]);
    // Midnight in Paris (UTC+1) to midnight UTC holds 23:00 to 24:00 UTC: L2 only.
    const paris = await download({ productId: ids.lettuce, from: "2026-03-02T00:00:00+01:00", to: "2026-03-02" });
    expect(paris.events).toEqual(["Receiving L2"]);
    // The day of 1 March in New York (UTC-5) runs to 05:00 UTC on 2 March: both receipts.
    const newYork = await download({
      productId: ids.lettuce,
      from: "2026-03-01T00:00:00-05:00",
      to: "2026-03-02T00:00:00-05:00",
    });
    expect(newYork.events).toEqual(["Receiving L1", "Receiving L2"]);
  });

  it("reads a product's period in pieces that never split a day, giving the same spreadsheet", async () => {
    const whole = await download({ productId: ids.lettuce, ...MARCH });
    const paged = await download({ productId: ids.lettuce, ...MARCH }, 1);
    expect(paged.text).toBe(whole.text);
    // The header, then one piece per day with events.
    expect(paged.pieces).toHaveLength(1 + 5);
    expect(whole.pieces).toHaveLength(2);
  });

  it("follows every lot received under a supplier lot code downstream, whatever the product", async () => {
    const { events, records, at, filename } = await download({ supplierLotCode: "SL-A" });
    expect(filename).toBe("fsma204-SL-A-2026-04-02.csv");
    expect(events).toEqual([
      "Receiving L1",
      "Receiving L2",
      "Receiving D1",
      "Transformation S1",
      "Shipping S1",
      "Transformation S2",
      "Shipping S2",
      "Shipping L2",
    ]);
    // Downstream of SL-A, run 2's lettuce from SL-B is not: only the traced input shows.
    const s2 = records.find((r) => at(r, "Internal Lot Code") === "S2" && at(r, "Event Type") === "Transformation")!;
    expect(at(s2, "Input Traceability Lot Codes")).toBe("SL-A");
  });

  it("narrows a supplier lot code to one product, and any subject to a period", async () => {
    const lettuce = await download({ supplierLotCode: "SL-A", productId: ids.lettuce });
    expect(lettuce.events).toEqual([
      "Receiving L1",
      "Receiving L2",
      "Transformation S1",
      "Shipping S1",
      "Transformation S2",
      "Shipping S2",
      "Shipping L2",
    ]);
    const dressing = await download({ supplierLotCode: "SL-A", productId: ids.dressing });
    expect(dressing.events).toEqual(["Receiving D1", "Transformation S1", "Shipping S1"]);
    const window = await download({ supplierLotCode: "SL-A", from: "2026-03-04", to: "2026-03-06" });
    expect(window.events).toEqual(["Shipping S1", "Transformation S2"]);
    const lot = await download({ lotId: ids.L1, from: "2026-03-03", to: "2026-03-04" });
    expect(lot.events).toEqual(["Transformation S1"]);
    expect(lot.filename).toBe("fsma204-L1-2026-04-02.csv");
  });

  it("answers a product or code with no events in the period with the header alone", async () => {
    const empty = await download({ productId: ids.lettuce, from: "2026-04-01", to: "2026-05-01" });
    expect(empty.records).toEqual([]);
    expect((await download({ supplierLotCode: "SL-B", from: "2027-01-01" })).records).toEqual([]);
  });

  it("is NOT_FOUND for a code no lot was received under, or not of that product, and for an unknown product", async () => {
    const unknownCode = await refusal({ supplierLotCode: "SL-Z" });
    expect([unknownCode.code, unknownCode.message]).toEqual([
      "NOT_FOUND",
      "supplierLotCode: no lot was received under SL-Z",
    ]);
    expect((await refusal({ supplierLotCode: "SL-B", productId: ids.dressing })).code).toBe("NOT_FOUND");
    const unknownProduct = await refusal({ productId: id(), ...MARCH });
    expect(unknownProduct.code).toBe("NOT_FOUND");
    expect(unknownProduct.message).toMatch(/^productId: /);
  });

  it("checks the role before the query, and refuses bad input", async () => {
    expect((await refusal({ productId: ids.lettuce, ...MARCH }, viewer)).code).toBe("FORBIDDEN");
    expect((await refusal({ productId: "nonsense" }, null)).code).toBe("UNAUTHENTICATED");
    expect((await refusal({ productId: ids.lettuce })).code).toBe("BAD_USER_INPUT");
  });
});
