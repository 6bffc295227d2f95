import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { eventually } from "../support/wait.ts";
import { parseCsv } from "../support/csv.ts";
import { create as createAs, hireCrew, runWorkOrder, type PlantCrew } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

/** One record of the spreadsheet, by column heading. */
type Row = Record<string, string>;

const DAY_MS = 86_400_000;

/** The same instant written in another time zone (`+02:00` → 2026-03-01T10:00:00.000+02:00). */
function inZone(iso: string, offset: string): string {
  const sign = offset.startsWith("-") ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(":").map(Number);
  const shifted = new Date(Date.parse(iso) + sign * ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000);
  return shifted.toISOString().replace("Z", offset);
}

/**
 * Issue 21's FSMA 204 requests through the gateway: by supplier lot code, by product and period,
 * and any subject narrowed to a period. Lettuce L1, L2 (supplier code SL-A) and L3 (SL-B) from
 * FARM, dressing D1 from DAIRY under the same code SL-A; run 1 makes salad S1 from L1 and D1, SO-1
 * ships it; run 2 makes S2 from L2 and L3, SO-2 ships S2 and the rest of L2. The API sets no event
 * times, so periods are cut at the times the spreadsheet itself reports.
 */
describe(`FSMA 204 spreadsheet by code, product and period through the gateway (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let crew: PlantCrew;
  let auditorToken: string;
  let viewerToken: string;
  const ids: Record<string, string> = {};

  const download = (query: Record<string, string> | Array<[string, string]>, token: string | null = auditorToken) =>
    fetch(new URL(`/exports/fsma204.csv?${new URLSearchParams(query)}`, lotgraph.gatewayUrl), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  /** The rows of a successful download, in the order sent. */
  const rows = async (query: Record<string, string>): Promise<Row[]> => {
    const response = await download(query);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ""));
    return records.map((r) => Object.fromEntries(header!.map((heading, i) => [heading, r[i] ?? ""])));
  };
  const events = (list: Row[]) => list.map((r) => `${r["Event Type"]} ${r["Internal Lot Code"]}`);
  const timeOf = (list: Row[], event: string) => {
    const row = list.find((r) => `${r["Event Type"]} ${r["Internal Lot Code"]}` === event);
    expect(row, event).toBeDefined();
    return row!["Event Time (UTC)"]!;
  };
  /** Today and tomorrow (UTC) hold every event of the test, even one run across midnight. */
  const around = () => ({
    from: new Date(Date.now() - DAY_MS).toISOString().slice(0, 10),
    to: new Date(Date.now() + DAY_MS).toISOString().slice(0, 10),
  });

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const create = (mutation: string, input: Record<string, unknown>, field: string) =>
      createAs(admin, mutation, input, field);
    const user = async (role: string) => {
      const email = `${role.toLowerCase()}@fsma.test`;
      const password = `${role.toLowerCase()}-password-fsma`;
      await create("createUser", { email, name: role, password, roles: [role] }, "user");
      return anonymous.login(email, password);
    };
    auditorToken = await user("AUDITOR");
    viewerToken = await user("VIEWER");
    crew = await hireCrew(anonymous, admin, "fsma");

    ids.site = await create("createLocation", { code: "SITE", name: "Salad plant", kind: "SITE" }, "location");
    ids.store = await create(
      "createLocation",
      { code: "STORE", name: "Store", kind: "AREA", parentId: ids.site },
      "location",
    );
    ids.farm = await create("createParty", { code: "FARM", name: "Green Farm", kind: "SUPPLIER" }, "party");
    ids.dairy = await create("createParty", { code: "DAIRY", name: "Dairy Co", kind: "SUPPLIER" }, "party");
    ids.shop = await create("createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    ids.line = await create("createLine", { code: "SL1", name: "Salad line" }, "line");
    const material = (sku: string, name: string, kind: string) =>
      create("createMaterial", { sku, name, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.lettuce = await material("LETTUCE", "Romaine lettuce", "RAW");
    ids.dressing = await material("DRESSING", "Caesar dressing", "RAW");
    ids.salad = await material("SALAD", "Caesar salad kit", "FINISHED");
    const receive = async (code: string, materialId: string, supplierId: string, supplierLotCode: string) => {
      const input = { code, materialId, quantity: "100", supplierId, supplierLotCode, locationId: ids.store };
      ids[code] = await create("receiveLot", input, "lot");
    };
    await receive("L1", ids.lettuce, ids.farm, "SL-A");
    await receive("L2", ids.lettuce, ids.farm, "SL-A");
    await receive("D1", ids.dressing, ids.dairy, "SL-A");
    await receive("L3", ids.lettuce, ids.farm, "SL-B");
    const salad = async (code: string, inputs: string[]) => {
      const consume = inputs.map((lot): [string, string] => [ids[lot]!, "10"]);
      const made = await runWorkOrder(crew, {
        productId: ids.salad!,
        locationId: ids.store!,
        lineId: ids.line!,
        consume,
        output: [[code, "20"]],
      });
      ids[code] = made.lots[0]!;
    };
    const ship = (reference: string, lots: string[]) =>
      create(
        "shipLots",
        { customerId: ids.shop, reference, lines: lots.map((lot) => ({ lotId: ids[lot], quantity: "5" })) },
        "shipment",
      );
    await salad("S1", ["L1", "D1"]);
    await ship("SO-1", ["S1"]);
    await salad("S2", ["L2", "L3"]);
    await ship("SO-2", ["S2", "L2"]);
    // The projection is asynchronous: wait until the last shipment shows.
    await eventually(async () => expect(events(await rows({ supplierLotCode: "SL-A" }))).toContain("Shipping L2"), {
      timeoutMs: 30_000,
    });
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  /** Sorted as the FDA asks: by event date, then traceability lot code. */
  const expectSorted = (list: Row[]) => {
    const keys = list.map((r) => `${r["Event Date"]}|${r["Traceability Lot Code"]}`);
    expect(keys).toEqual([...keys].sort());
  };

  it("lists a product's own events in a period: its receipts, the runs that used it, its shipment lines", async () => {
    const lettuce = await rows({ productId: ids.lettuce!, ...around() });
    expect(events(lettuce).sort()).toEqual(
      ["Receiving L1", "Receiving L2", "Receiving L3", "Transformation S1", "Transformation S2", "Shipping L2"].sort(),
    );
    expectSorted(lettuce);
    const s1 = lettuce.find((r) => r["Internal Lot Code"] === "S1")!;
    // A run that used lettuce shows all its inputs, the dressing too.
    expect(s1["Input Traceability Lot Codes"]).toBe("SL-A; SL-A");
    expect(s1["Input Details"]).toContain("Caesar dressing (DRESSING)");
    expect(lettuce.find((r) => r["Event Type"] === "Receiving")?.["Product Description"]).toBe(
      "Romaine lettuce (LETTUCE)",
    );

    const salad = await rows({ productId: ids.salad!, ...around() });
    expect(events(salad).sort()).toEqual(["Shipping S1", "Shipping S2", "Transformation S1", "Transformation S2"]);
  });

  it("cuts the period at from (included) and to (excluded), written in any time zone", async () => {
    const lettuce = await rows({ productId: ids.lettuce!, ...around() });
    const run1 = timeOf(lettuce, "Transformation S1");
    const run2 = timeOf(lettuce, "Transformation S2");
    const between = await rows({ productId: ids.lettuce!, from: inZone(run1, "+02:00"), to: inZone(run2, "-05:00") });
    expect(events(between)).toEqual(["Transformation S1"]);
    const fromRun2 = await rows({ productId: ids.lettuce!, from: run2, to: around().to });
    expect(events(fromRun2).sort()).toEqual(["Shipping L2", "Transformation S2"]);

    // S1 shipped after its run: a period from the shipment still says where S1's TLC was assigned.
    const salad = await rows({
      productId: ids.salad!,
      from: timeOf(await rows({ productId: ids.salad!, ...around() }), "Shipping S1"),
      to: around().to,
    });
    expect(events(salad).sort()).toEqual(["Shipping S1", "Shipping S2", "Transformation S2"]);
    const shipped = salad.find((r) => r["Internal Lot Code"] === "S1")!;
    expect(shipped["Traceability Lot Code Source"]).toBe("Salad line (SL1)");
    expect(shipped["Ship-To Location"]).toBe("Shop (SHOP)");
  });

  it("follows every lot received under a supplier lot code downstream, narrowed by product and period", async () => {
    const code = await rows({ supplierLotCode: "SL-A" });
    expect(events(code).sort()).toEqual(
      [
        "Receiving L1",
        "Receiving L2",
        "Receiving D1",
        "Transformation S1",
        "Transformation S2",
        "Shipping S1",
        "Shipping S2",
        "Shipping L2",
      ].sort(),
    );
    expectSorted(code);
    const dressing = await rows({ supplierLotCode: "SL-A", productId: ids.dressing! });
    expect(events(dressing).sort()).toEqual(["Receiving D1", "Shipping S1", "Transformation S1"]);
    const afterRun2 = await rows({ supplierLotCode: "SL-A", from: timeOf(code, "Transformation S2") });
    expect(events(afterRun2).sort()).toEqual(["Shipping L2", "Shipping S2", "Transformation S2"]);
    const lot = await rows({ lotId: ids.L1!, to: timeOf(code, "Shipping S1") });
    expect(events(lot).sort()).toEqual(["Receiving L1", "Transformation S1"]);
  });

  it("answers bad parameters with 400 naming the parameter", async () => {
    const refused = async (query: Record<string, string> | Array<[string, string]>, parameter: string) => {
      const response = await download(query);
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(text).toMatch(new RegExp(`^BAD_USER_INPUT: .*\\b${parameter}: `));
    };
    await refused({}, "lotId");
    await refused({ lotId: ids.L1!, supplierLotCode: "SL-A" }, "lotId");
    await refused({ productId: ids.lettuce! }, "from");
    await refused({ productId: ids.lettuce!, from: "2026-03-01" }, "to");
    await refused({ productId: "lettuce", ...around() }, "productId");
    await refused({ productId: ids.lettuce!, from: "2026-03-02", to: "2026-03-01" }, "to");
    await refused({ productId: ids.lettuce!, from: "2026-03-01T08:00:00", to: "2026-04-01" }, "from");
    await refused({ productId: ids.lettuce!, from: "2024-01-01", to: "2026-06-01" }, "to");
    await refused({ supplierLotCode: "SL-A", direction: "UPSTREAM" }, "direction");
    // Two codes in one request would export the first alone: refused rather than half answered.
    await refused(
      [
        ["supplierLotCode", "SL-A"],
        ["supplierLotCode", "SL-B"],
      ],
      "supplierLotCode",
    );
  });

  it("answers an unknown code or product with 404, and callers without the role with 401 and 403", async () => {
    const notFound = await download({ supplierLotCode: "SL-NOPE" });
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toMatch(/^NOT_FOUND: supplierLotCode: .*SL-NOPE/);
    expect((await download({ supplierLotCode: "SL-B", productId: ids.dressing! })).status).toBe(404);
    const product = await download({ productId: "00000000-0000-4000-8000-000000000000", ...around() });
    expect(product.status).toBe(404);
    expect(await product.text()).toMatch(/^NOT_FOUND: productId: /);

    const query = { productId: ids.lettuce!, ...around() };
    expect((await download(query, null)).status).toBe(401);
    expect((await download(query, "not-a-token")).status).toBe(401);
    const forbidden = await download(query, viewerToken);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toMatch(/^FORBIDDEN/);
    // A manager may download it too, as the EPCIS document.
    const manager = await download({ supplierLotCode: "SL-B" }, crew.manager.token!);
    expect(manager.status).toBe(200);
  });
});
