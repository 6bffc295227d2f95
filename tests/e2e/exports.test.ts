import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertValidEpcis } from "../support/epcis-schema.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { eventually } from "../support/wait.ts";
import { parseCsv } from "../support/csv.ts";
import { create as createAs } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

interface EpcisEventShape {
  type: string;
  bizStep?: string;
  quantityList?: Array<{ epcClass: string; quantity?: number }>;
  inputQuantityList?: Array<{ epcClass: string; quantity?: number }>;
  outputQuantityList?: Array<{ epcClass: string; quantity?: number }>;
}
interface EpcisVocabularyShape {
  type: string;
  vocabularyElementList: Array<{ id: string; attributes?: Array<{ id: string; attribute: unknown }> }>;
}
interface EpcisData {
  epcisDocument: {
    type: string;
    epcisHeader?: { epcisMasterData?: { vocabularyList: EpcisVocabularyShape[] } };
    epcisBody: { eventList: EpcisEventShape[] };
  };
}

const EPCIS = `query ($lotId: ID!, $direction: TraceDirection!) { epcisDocument(lotId: $lotId, direction: $direction) }`;

/** Events of one type (and business step) in a document. */
const ofKind = (events: EpcisEventShape[], type: string, bizStep?: string) =>
  events.filter((e) => e.type === type && (bizStep === undefined || e.bizStep === bizStep));
/** The lot code at the end of an EPCIS lot class identifier (…/class/<material>/lot/<code>). */
const lotCode = (epcClass: string) => decodeURIComponent(epcClass.split("/lot/")[1] ?? "");

/**
 * Issue 4's exports through the gateway, on a small bakery: flour (MILL) and sugar (FARM) make
 * dough D1; D1 makes cakes C1 and C2; one shipment carries part of each cake lot.
 */
describe(`EPCIS and FSMA 204 exports through the gateway (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let auditor: TestClient;
  let viewer: TestClient;
  let anonymous: TestClient;
  let auditorToken: string;
  let viewerToken: string;
  const ids: Record<string, string> = {};

  const create = (mutation: string, input: Record<string, unknown>, field: string): Promise<string> =>
    createAs(admin, mutation, input, field);
  const user = async (email: string, role: string): Promise<string> => {
    const password = `${role.toLowerCase()}-password-123`;
    await create("createUser", { email, name: role, password, roles: [role] }, "user");
    return anonymous.login(email, password);
  };
  const run = async (productId: string, inputs: Array<[string, number]>, outputs: Array<[string, number]>) => {
    const workOrderId = await create(
      "createWorkOrder",
      { productId, plannedQuantity: "10", lineId: ids.line, phases: [{ name: "Make" }] },
      "workOrder",
    );
    await create("releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create("startRun", { workOrderId }, "run");
    for (const [code, quantity] of inputs)
      await create("consumeLot", { runId, lotId: ids[code], quantity: String(quantity) }, "consumption");
    for (const [code, quantity] of outputs) {
      const data = await admin.expectData<{ recordOutput: { output: { lot: Id } } }>(
        `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
        { input: { runId, code, quantity: String(quantity), locationId: ids.store } },
      );
      ids[code] = data.recordOutput.output.lot.id;
    }
    await create("completeRun", { runId }, "run");
  };
  const csv = (query: string, token: string | null) =>
    fetch(new URL(`/exports/fsma204.csv${query}`, lotgraph.gatewayUrl), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    auditorToken = await user("auditor@bakery.test", "AUDITOR");
    viewerToken = await user("viewer@bakery.test", "VIEWER");
    auditor = anonymous.as(auditorToken);
    viewer = anonymous.as(viewerToken);

    ids.site = await create("createLocation", { code: "SITE", name: "Bakery", kind: "SITE" }, "location");
    ids.store = await create(
      "createLocation",
      { code: "STORE", name: "Store", kind: "AREA", parentId: ids.site },
      "location",
    );
    ids.mill = await create("createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.farm = await create("createParty", { code: "FARM", name: "Farm", kind: "SUPPLIER" }, "party");
    ids.shop = await create("createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    ids.line = await create("createLine", { code: "L1", name: "Line 1" }, "line");
    const material = (sku: string, name: string, kind: string) =>
      create("createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "Wheat flour", "RAW");
    ids.sugar = await material("SUGAR", "Cane sugar", "RAW");
    ids.dough = await material("DOUGH", "Sponge dough", "INTERMEDIATE");
    ids.cake = await material("CAKE", "Sponge cake", "FINISHED");
    const receive = async (code: string, materialId: string, supplierId: string, supplierLotCode: string) => {
      const input = { code, materialId, quantity: "100", supplierId, supplierLotCode, locationId: ids.store };
      ids[code] = await create("receiveLot", input, "lot");
    };
    await receive("R1", ids.flour, ids.mill, "SL-FLOUR");
    await receive("R2", ids.sugar, ids.farm, "SL-SUGAR");
    await run(
      ids.dough,
      [
        ["R1", 10],
        ["R2", 5],
      ],
      [["D1", 12]],
    );
    await run(
      ids.cake,
      [["D1", 12]],
      [
        ["C1", 6],
        ["C2", 5],
      ],
    );
    await create(
      "shipLots",
      {
        customerId: ids.shop,
        reference: "SO-1",
        lines: [
          { lotId: ids.C1, quantity: "4" },
          { lotId: ids.C2, quantity: "2" },
        ],
      },
      "shipment",
    );
    // The projection is asynchronous: wait until the whole history shows in the export.
    await eventually(
      async () => {
        const { epcisDocument } = await auditor.expectData<EpcisData>(EPCIS, {
          lotId: ids.R1,
          direction: "DOWNSTREAM",
        });
        const events = epcisDocument.epcisBody.eventList;
        expect(ofKind(events, "ObjectEvent", "shipping")[0]?.quantityList).toHaveLength(2);
        expect(ofKind(events, "TransformationEvent").flatMap((e) => e.outputQuantityList ?? [])).toHaveLength(3);
        expect(ofKind(events, "ObjectEvent", "receiving")).toHaveLength(1);
      },
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  it("exports a raw lot downstream as valid EPCIS 2.0: its receipt, both runs, the shipment", async () => {
    const { epcisDocument } = await auditor.expectData<EpcisData>(EPCIS, { lotId: ids.R1, direction: "DOWNSTREAM" });
    assertValidEpcis(epcisDocument);
    const events = epcisDocument.epcisBody.eventList;
    expect(events).toHaveLength(4);
    expect(
      ofKind(events, "ObjectEvent", "receiving").map((e) => e.quantityList?.map((q) => lotCode(q.epcClass))),
    ).toEqual([["R1"]]);
    const runs = ofKind(events, "TransformationEvent");
    expect(runs).toHaveLength(2);
    // The dough run shows only the traced input: sugar is not downstream of the flour.
    const dough = runs.find((e) => e.outputQuantityList?.some((q) => lotCode(q.epcClass) === "D1"));
    expect(dough?.inputQuantityList?.map((q) => [lotCode(q.epcClass), q.quantity])).toEqual([["R1", 10]]);
    const cakes = runs.find((e) => e.inputQuantityList?.some((q) => lotCode(q.epcClass) === "D1"));
    expect(cakes?.outputQuantityList?.map((q) => [lotCode(q.epcClass), q.quantity]).sort()).toEqual([
      ["C1", 6],
      ["C2", 5],
    ]);
    const [shipping] = ofKind(events, "ObjectEvent", "shipping");
    expect(shipping?.quantityList?.map((q) => [lotCode(q.epcClass), q.quantity]).sort()).toEqual([
      ["C1", 4],
      ["C2", 2],
    ]);
  });

  it("exports a finished lot upstream as valid EPCIS 2.0: both receipts, both runs, its own shipment line", async () => {
    const { epcisDocument } = await admin.expectData<EpcisData>(EPCIS, { lotId: ids.C1, direction: "UPSTREAM" });
    assertValidEpcis(epcisDocument);
    const events = epcisDocument.epcisBody.eventList;
    expect(events).toHaveLength(5);
    const received = ofKind(events, "ObjectEvent", "receiving").flatMap((e) => e.quantityList ?? []);
    expect(received.map((q) => lotCode(q.epcClass)).sort()).toEqual(["R1", "R2"]);
    const runs = ofKind(events, "TransformationEvent");
    expect(runs).toHaveLength(2);
    const dough = runs.find((e) => e.outputQuantityList?.some((q) => lotCode(q.epcClass) === "D1"));
    expect(dough?.inputQuantityList?.map((q) => lotCode(q.epcClass)).sort()).toEqual(["R1", "R2"]);
    // The cake run shows only the traced output: C2 is a sibling, not an ancestor, of C1.
    const cakes = runs.find((e) => e.inputQuantityList?.some((q) => lotCode(q.epcClass) === "D1"));
    expect(cakes?.outputQuantityList?.map((q) => lotCode(q.epcClass))).toEqual(["C1"]);
    const shipping = ofKind(events, "ObjectEvent", "shipping");
    expect(shipping.map((e) => e.quantityList?.map((q) => [lotCode(q.epcClass), q.quantity]))).toEqual([[["C1", 4]]]);
  });

  it("describes products and places by name in the EPCIS master data, and still passes GS1's schema", async () => {
    const { epcisDocument } = await auditor.expectData<EpcisData>(EPCIS, { lotId: ids.R1, direction: "DOWNSTREAM" });
    assertValidEpcis(epcisDocument);
    const vocabularies = epcisDocument.epcisHeader?.epcisMasterData?.vocabularyList ?? [];
    const names = (type: string, attribute: string) =>
      vocabularies
        .filter((v) => v.type === type)
        .flatMap((v) => v.vocabularyElementList)
        .flatMap((e) => (e.attributes ?? []).filter((a) => a.id === attribute).map((a) => a.attribute));
    const short = "urn:epcglobal:cbv:mda#descriptionShort";
    expect(new Set(names("urn:epcglobal:epcis:vtype:EPCClass", short))).toEqual(
      new Set(["Wheat flour", "Sponge dough", "Sponge cake"]),
    );
    // The receipt's store and the line both runs ran on (and the shipment left from the store).
    expect(names("urn:epcglobal:epcis:vtype:BusinessLocation", "urn:epcglobal:cbv:mda#name").sort()).toEqual([
      "Line 1",
      "Store",
    ]);
  });

  it("names products, locations and partners in the FSMA 204 spreadsheet", async () => {
    const response = await csv(`?lotId=${ids.R1}`, auditorToken);
    expect(response.status).toBe(200);
    const [header, ...records] = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    const at = (record: string[], name: string) => record[header!.indexOf(name)];
    const byType = (type: string) => records.filter((r) => at(r, "Event Type") === type);
    const [receiving] = byType("Receiving");
    expect(receiving && at(receiving, "Product Description")).toBe("Wheat flour (FLOUR)");
    expect(receiving && at(receiving, "Location")).toBe("Store (STORE)");
    expect(receiving && at(receiving, "Immediate Previous Source")).toBe("Mill (MILL)");
    expect(receiving && at(receiving, "Traceability Lot Code Source")).toBe("Mill (MILL)");
    const transformations = byType("Transformation");
    expect(new Set(transformations.map((r) => at(r, "Location")))).toEqual(new Set(["Line 1 (L1)"]));
    expect(transformations.map((r) => at(r, "Product Description")).sort()).toEqual([
      "Sponge cake (CAKE)",
      "Sponge cake (CAKE)",
      "Sponge dough (DOUGH)",
    ]);
    const shipping = byType("Shipping");
    expect(shipping).toHaveLength(2);
    for (const r of shipping) {
      expect(at(r, "Ship-To Location")).toBe("Shop (SHOP)");
      // Both cake lots were put in the store, and left from there.
      expect(at(r, "Ship-From Location")).toBe("Store (STORE)");
      expect(at(r, "Product Description")).toBe("Sponge cake (CAKE)");
    }
  });

  it("refuses EPCIS to a VIEWER and to an anonymous caller, and an unknown lot is NOT_FOUND", async () => {
    const variables = { lotId: ids.R1, direction: "DOWNSTREAM" };
    expect(await viewer.expectErrorCode(EPCIS, variables)).toBe("FORBIDDEN");
    expect(await anonymous.expectErrorCode(EPCIS, variables)).toBe("UNAUTHENTICATED");
    const unknown = { lotId: "00000000-0000-4000-8000-000000000000", direction: "UPSTREAM" };
    expect(await auditor.expectErrorCode(EPCIS, unknown)).toBe("NOT_FOUND");
  });

  it("serves the FSMA 204 spreadsheet on the gateway: one row per CTE of the downstream trace", async () => {
    const response = await csv(`?lotId=${ids.R1}`, auditorToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    const date = new Date().toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="fsma204-R1-${date}.csv"`);
    // The BOM reaches the client intact (fetch's text() would silently drop it).
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...records] = parseCsv(text.slice(1));
    const col = (name: string) => {
      const index = header!.indexOf(name);
      expect(index, name).toBeGreaterThanOrEqual(0);
      return index;
    };
    const [type, tlc, internal, quantity, unit, inputs, reference] = [
      col("Event Type"),
      col("Traceability Lot Code"),
      col("Internal Lot Code"),
      col("Quantity"),
      col("Unit of Measure"),
      col("Input Traceability Lot Codes"),
      col("Reference Document Number"),
    ];
    const rows = records.map((r) => [r[type], r[tlc], r[internal], Number(r[quantity]), r[unit], r[inputs]]);
    // Default direction DOWNSTREAM: receipt of R1, the outputs D1, C1, C2, the two shipment lines.
    expect(rows.sort()).toEqual(
      [
        ["Receiving", "SL-FLOUR", "R1", 100, "kg", ""],
        ["Transformation", "D1", "D1", 12, "kg", "SL-FLOUR"],
        ["Transformation", "C1", "C1", 6, "kg", "D1"],
        ["Transformation", "C2", "C2", 5, "kg", "D1"],
        ["Shipping", "C1", "C1", 4, "kg", ""],
        ["Shipping", "C2", "C2", 2, "kg", ""],
      ].sort(),
    );
    expect(records.filter((r) => r[type] === "Shipping").map((r) => r[reference])).toEqual(["SO-1", "SO-1"]);

    const upstream = await csv(`?lotId=${ids.C2}&direction=UPSTREAM`, auditorToken);
    expect(upstream.status).toBe(200);
    // Receipts R1 and R2, outputs D1 and C2, C2's shipment line.
    expect(parseCsv((await upstream.text()).replace(/^\uFEFF/, "")).slice(1)).toHaveLength(5);
  });

  it("answers the spreadsheet with 401, 403, 400 and 404 where it must", async () => {
    expect((await csv(`?lotId=${ids.R1}`, null)).status).toBe(401);
    expect((await csv(`?lotId=${ids.R1}`, "not-a-token")).status).toBe(401);
    const forbidden = await csv(`?lotId=${ids.R1}`, viewerToken);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toMatch(/FORBIDDEN/);
    expect((await csv(`?lotId=not-a-uuid`, auditorToken)).status).toBe(400);
    expect((await csv(``, auditorToken)).status).toBe(400);
    expect((await csv(`?lotId=${ids.R1}&direction=SIDEWAYS`, auditorToken)).status).toBe(400);
    expect((await csv(`?lotId=00000000-0000-4000-8000-000000000000`, auditorToken)).status).toBe(404);
  });
});
