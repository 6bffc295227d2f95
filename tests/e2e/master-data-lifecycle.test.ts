import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, type GraphQLResponse } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, type PlantCrew } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const inputType = (mutation: string) => `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;

interface Material {
  id: string;
  sku: string;
  name: string;
  uom: string;
  kind: string;
  tracking: string;
  inspectionRequired: boolean;
  externalRef: string | null;
  active: boolean;
  deactivatedAt: string | null;
  updatedAt: string;
}
const MATERIAL = `id sku name uom kind tracking inspectionRequired externalRef active deactivatedAt updatedAt`;

interface Movement {
  kind: string;
  quantity: string;
  createdAt: string;
  lot: { code: string };
}
interface MovementPage {
  edges: Array<{ cursor: string; node: Movement }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/**
 * Issue 20, inventory's part: an ERP keeps master data current (update, deactivate), names
 * things by its own keys (externalRef), syncs incrementally (updatedSince) and posts goods
 * movements from the ledger (stockMovements). A deactivated entity stays readable, and every
 * write that would put it to new use is refused.
 */
describe(`master data lifecycle and ERP sync (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let crew: PlantCrew;
  let viewer: TestClient;
  const ids: Record<string, string> = {};

  /** Runs `mutation(input)` and returns its payload's `field`. */
  async function mutate<T>(client: TestClient, mutation: string, input: object, field: string, selection: string) {
    const data = await client.expectData<Record<string, Record<string, T>>>(
      `mutation ($input: ${inputType(mutation)}!) { ${mutation}(input: $input) { ${field} { ${selection} } } }`,
      { input },
    );
    return data[mutation]![field]!;
  }

  /** Expects `mutation(input)` refused with `code`, its message naming `mentions`. */
  async function refused(client: TestClient, mutation: string, input: object, code: string, mentions?: string) {
    const answer: GraphQLResponse<unknown> = await client.request(
      `mutation ($input: ${inputType(mutation)}!) { ${mutation}(input: $input) { __typename } }`,
      { input },
    );
    const error = answer.errors?.[0];
    expect(error?.extensions?.code, `${mutation}: ${JSON.stringify(answer)}`).toBe(code);
    if (mentions) expect(error?.message, mutation).toContain(mentions);
  }

  const material = async (id: string | undefined) =>
    (await admin.expectData<{ material: Material }>(`query ($id: ID) { material(id: $id) { ${MATERIAL} } }`, { id }))
      .material;

  const receive = (code: string, extra: Record<string, unknown> = {}) =>
    create(
      crew.operator,
      "receiveLot",
      { materialId: ids.flour, quantity: "10", locationId: ids.bin1, code, supplierId: ids.mill, ...extra },
      "lot",
    );

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    crew = await hireCrew(anonymous, admin, "mdl");
    await create(
      admin,
      "createUser",
      { email: "viewer-mdl@plant.test", name: "Viewer", roles: ["VIEWER"], password: "viewer-password-mdl" },
      "user",
    );
    viewer = anonymous.as(await anonymous.login("viewer-mdl@plant.test", "viewer-password-mdl"));
    const { manager } = crew;
    ids.site = await create(manager, "createLocation", { code: "MD-SITE", name: "Site", kind: "SITE" }, "location");
    for (const area of ["A1", "A2"])
      ids[area] = await create(
        manager,
        "createLocation",
        { code: `MD-${area}`, name: area, kind: "AREA", parentId: ids.site },
        "location",
      );
    ids.bin1 = await create(
      manager,
      "createLocation",
      { code: "MD-BIN1", name: "Bin 1", kind: "BIN", parentId: ids.A1 },
      "location",
    );
    ids.bin2 = await create(
      manager,
      "createLocation",
      { code: "MD-BIN2", name: "Bin 2", kind: "BIN", parentId: ids.A1 },
      "location",
    );
    ids.flour = await create(
      manager,
      "createMaterial",
      { sku: "MD-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT", externalRef: "ERP-M-FLOUR" },
      "material",
    );
    ids.bread = await create(
      manager,
      "createMaterial",
      { sku: "MD-BREAD", name: "Bread", uom: "ea", kind: "FINISHED", tracking: "LOT" },
      "material",
    );
    ids.mill = await create(
      manager,
      "createParty",
      { code: "MD-MILL", name: "Mill", kind: "SUPPLIER", externalRef: "ERP-V-100" },
      "party",
    );
    ids.shop = await create(manager, "createParty", { code: "MD-SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
  }, 120_000);
  afterAll(async () => lotgraph?.cleanup());

  it("updates a material: only the fields given change, with an audit entry, and updatedAt moves", async () => {
    const before = await material(ids.flour);
    const after = await mutate<Material>(
      crew.manager,
      "updateMaterial",
      { materialId: ids.flour, name: "Wheat flour", inspectionRequired: true },
      "material",
      MATERIAL,
    );
    expect(after).toEqual({
      ...before,
      name: "Wheat flour",
      inspectionRequired: true,
      updatedAt: after.updatedAt,
    });
    expect(after.updatedAt > before.updatedAt).toBe(true);
    const trail = await admin.expectData<{ auditTrail: { edges: Array<{ node: { action: string } }> } }>(
      `query ($id: String) { auditTrail(filter: { entityType: "Material", entityId: $id }) { edges { node { action } } } }`,
      { id: ids.flour },
    );
    expect(trail.auditTrail.edges.map((edge) => edge.node.action)).toContain("material.updated");
    // Sending the same values again changes nothing, not even updatedAt.
    const again = await mutate<Material>(
      crew.manager,
      "updateMaterial",
      { materialId: ids.flour, name: "Wheat flour" },
      "material",
      MATERIAL,
    );
    expect(again).toEqual(after);
    await mutate(
      crew.manager,
      "updateMaterial",
      { materialId: ids.flour, inspectionRequired: false },
      "material",
      "id",
    );
  });

  it("replays an update for the same idempotencyKey and refuses the key with another input", async () => {
    const input = { materialId: ids.bread, name: "White bread", idempotencyKey: "md-upd-1" };
    const first = await mutate<Material>(crew.manager, "updateMaterial", input, "material", MATERIAL);
    const replay = await mutate<Material>(crew.manager, "updateMaterial", input, "material", MATERIAL);
    expect(replay).toEqual(first);
    await refused(crew.manager, "updateMaterial", { ...input, name: "Rye bread" }, "CONFLICT");
    expect((await material(ids.bread)).name).toBe("White bread");
  });

  it("refuses to change the unit or tracking of a material with lots; without lots they may change", async () => {
    await receive("MD-UOM-1");
    const before = await material(ids.flour);
    await refused(crew.manager, "updateMaterial", { materialId: ids.flour, uom: "lb" }, "CONFLICT", "MD-FLOUR");
    await refused(
      crew.manager,
      "updateMaterial",
      { materialId: ids.flour, tracking: "SERIAL" },
      "CONFLICT",
      "tracking",
    );
    expect(await material(ids.flour)).toEqual(before);
    const fresh = await create(
      crew.manager,
      "createMaterial",
      { sku: "MD-SALT", name: "Salt", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const changed = await mutate<Material>(
      crew.manager,
      "updateMaterial",
      { materialId: fresh, uom: "g", kind: "PACKAGING" },
      "material",
      MATERIAL,
    );
    expect([changed.uom, changed.kind, changed.tracking]).toEqual(["g", "PACKAGING", "LOT"]);
  });

  it("refuses bad updates with a typed error and changes nothing", async () => {
    const before = await material(ids.flour);
    await refused(crew.manager, "updateMaterial", { materialId: ids.flour }, "BAD_USER_INPUT", "at least one field");
    await refused(crew.manager, "updateMaterial", { materialId: ids.flour, name: " " }, "BAD_USER_INPUT");
    await refused(crew.manager, "updateMaterial", { materialId: "nope", name: "X" }, "BAD_USER_INPUT");
    await refused(
      crew.manager,
      "updateMaterial",
      { materialId: "00000000-0000-4000-8000-000000000000", name: "X" },
      "NOT_FOUND",
    );
    expect(await material(ids.flour)).toEqual(before);
  });

  it("moves a location in the tree, never under itself or its descendants", async () => {
    const moved = await mutate<{ name: string; parent: { id: string } }>(
      crew.manager,
      "updateLocation",
      { locationId: ids.bin2, name: "Bin two", parentId: ids.A2 },
      "location",
      "name parent { id }",
    );
    expect(moved).toEqual({ name: "Bin two", parent: { id: ids.A2 } });
    await refused(crew.manager, "updateLocation", { locationId: ids.A2, parentId: ids.A2 }, "BAD_USER_INPUT", "cycle");
    await refused(crew.manager, "updateLocation", { locationId: ids.A2, parentId: ids.bin2 }, "BAD_USER_INPUT");
    await refused(crew.manager, "updateLocation", { locationId: ids.bin2, parentId: ids.bin1 }, "BAD_USER_INPUT");
    const after = await admin.expectData<{ location: { parent: { id: string } } }>(
      `query ($id: ID) { location(id: $id) { parent { id } } }`,
      { id: ids.bin2 },
    );
    expect(after.location.parent.id).toBe(ids.A2);
  });

  it("updates a party and finds materials, parties, lots and shipments by the ERP's externalRef", async () => {
    const party = await mutate<{ name: string; externalRef: string | null; code: string }>(
      crew.manager,
      "updateParty",
      { partyId: ids.shop, name: "Corner shop", externalRef: "ERP-C-200" },
      "party",
      "name externalRef code",
    );
    expect(party).toEqual({ name: "Corner shop", externalRef: "ERP-C-200", code: "MD-SHOP" });
    const lotId = await receive("MD-EXT-1", { externalRef: "ERP-B-1" });
    const shipment = await mutate<{ id: string; externalRef: string }>(
      crew.operator,
      "shipLots",
      { customerId: ids.shop, reference: "SO-1", externalRef: "ERP-D-1", lines: [{ lotId, quantity: "1" }] },
      "shipment",
      "id externalRef",
    );
    const found = await admin.expectData<{
      materials: { edges: Array<{ node: { id: string } }> };
      parties: Array<{ id: string }>;
      lot: { id: string };
      lots: { edges: Array<{ node: { id: string } }> };
      shipments: { edges: Array<{ node: { id: string } }> };
    }>(`{
      materials(externalRef: "ERP-M-FLOUR") { edges { node { id } } }
      parties(externalRef: "ERP-C-200") { id }
      lot(externalRef: "ERP-B-1") { id }
      lots(filter: { externalRef: "ERP-B-1" }) { edges { node { id } } }
      shipments(externalRef: "ERP-D-1") { edges { node { id } } }
    }`);
    expect(found).toEqual({
      materials: { edges: [{ node: { id: ids.flour } }] },
      parties: [{ id: ids.shop }],
      lot: { id: lotId },
      lots: { edges: [{ node: { id: lotId } }] },
      shipments: { edges: [{ node: { id: shipment.id } }] },
    });
  });

  it("keeps externalRef unique per kind (CONFLICT, nothing written), clears it with null", async () => {
    await refused(
      crew.manager,
      "createMaterial",
      { sku: "MD-DUP", name: "Dup", uom: "kg", kind: "RAW", tracking: "LOT", externalRef: "ERP-M-FLOUR" },
      "CONFLICT",
      "ERP-M-FLOUR",
    );
    expect((await admin.expectData<{ material: null }>(`{ material(sku: "MD-DUP") { id } }`)).material).toBeNull();
    await refused(crew.manager, "updateMaterial", { materialId: ids.bread, externalRef: "ERP-M-FLOUR" }, "CONFLICT");
    await refused(crew.manager, "updateParty", { partyId: ids.shop, externalRef: "ERP-V-100" }, "CONFLICT");
    await refused(
      crew.operator,
      "receiveLot",
      { materialId: ids.flour, quantity: "1", locationId: ids.bin1, code: "MD-EXT-2", externalRef: "ERP-B-1" },
      "CONFLICT",
    );
    expect((await admin.expectData<{ lot: null }>(`{ lot(code: "MD-EXT-2") { id } }`)).lot).toBeNull();
    const lotId = await receive("MD-EXT-3");
    await refused(crew.operator, "setLotExternalRef", { lotId, externalRef: "ERP-B-1" }, "CONFLICT");
    const set = await mutate<{ externalRef: string | null }>(
      crew.operator,
      "setLotExternalRef",
      { lotId, externalRef: "ERP-B-3" },
      "lot",
      "externalRef",
    );
    expect(set.externalRef).toBe("ERP-B-3");
    // Another kind may use the same key: uniqueness is per kind.
    await mutate(crew.manager, "updateMaterial", { materialId: ids.bread, externalRef: "ERP-B-3" }, "material", "id");
    const cleared = await mutate<{ externalRef: string | null }>(
      crew.manager,
      "updateMaterial",
      { materialId: ids.bread, externalRef: null },
      "material",
      "externalRef",
    );
    expect(cleared.externalRef).toBeNull();
  });

  it("lists what changed since a time on every list", async () => {
    const sugar = await create(
      crew.manager,
      "createMaterial",
      { sku: "MD-SUGAR", name: "Sugar", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const touched = await mutate<Material>(
      crew.manager,
      "updateMaterial",
      { materialId: sugar, name: "Cane sugar" },
      "material",
      MATERIAL,
    );
    const since = touched.updatedAt;
    const party = await mutate<{ updatedAt: string }>(
      crew.manager,
      "updateParty",
      { partyId: ids.mill, name: "Big mill" },
      "party",
      "updatedAt",
    );
    const location = await mutate<{ updatedAt: string }>(
      crew.manager,
      "updateLocation",
      { locationId: ids.bin1, name: "Bin one" },
      "location",
      "updatedAt",
    );
    const lotId = await receive("MD-UPD-OLD");
    const moved = await mutate<{ updatedAt: string }>(
      crew.operator,
      "moveLot",
      { lotId, toLocationId: ids.bin2 },
      "lot",
      "updatedAt",
    );
    const shipment = await mutate<{ id: string; updatedAt: string }>(
      crew.operator,
      "shipLots",
      { customerId: ids.shop, reference: "SO-UPD", lines: [{ lotId, quantity: "1" }] },
      "shipment",
      "id updatedAt",
    );
    for (const at of [party.updatedAt, location.updatedAt, moved.updatedAt, shipment.updatedAt])
      expect(at >= since).toBe(true);
    const listed = await admin.expectData<{
      materials: { edges: Array<{ node: { id: string } }> };
      parties: Array<{ id: string }>;
      locations: Array<{ id: string }>;
      lots: { edges: Array<{ node: { id: string } }> };
      shipments: { edges: Array<{ node: { id: string } }> };
    }>(
      `query ($since: DateTime, $lotsSince: DateTime) {
        materials(updatedSince: $since) { edges { node { id } } }
        parties(updatedSince: $since) { id }
        locations(updatedSince: $since) { id }
        lots(filter: { updatedSince: $lotsSince }) { edges { node { id } } }
        shipments(updatedSince: $since) { edges { node { id } } }
      }`,
      { since, lotsSince: moved.updatedAt },
    );
    expect(listed.materials.edges.map((e) => e.node.id)).toEqual([sugar]);
    expect(listed.parties.map((p) => p.id)).toEqual([ids.mill]);
    expect(listed.locations.map((l) => l.id)).toEqual([ids.bin1]);
    // The shipment changed the lot again (its quantity) after the move: still listed.
    expect(listed.lots.edges.map((e) => e.node.id)).toEqual([lotId]);
    expect(listed.shipments.edges.map((e) => e.node.id)).toEqual([shipment.id]);
    const later = new Date(Date.parse(shipment.updatedAt) + 60_000).toISOString();
    const none = await admin.expectData<{ materials: { totalCount: number }; lots: { totalCount: number } }>(
      `query ($t: DateTime) { materials(updatedSince: $t) { totalCount } lots(filter: { updatedSince: $t }) { totalCount } }`,
      { t: later },
    );
    expect(none).toEqual({ materials: { totalCount: 0 }, lots: { totalCount: 0 } });
  });

  it("pages the stock ledger oldest first with cursors, filtered by material, location, kind and time", async () => {
    const yeast = await create(
      crew.manager,
      "createMaterial",
      { sku: "MD-YEAST", name: "Yeast", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const lotId = await create(
      crew.operator,
      "receiveLot",
      { materialId: yeast, quantity: "5", locationId: ids.bin1, code: "MD-YEAST-1" },
      "lot",
    );
    await create(crew.operator, "moveLot", { lotId, toLocationId: ids.bin2 }, "lot");
    await create(crew.manager, "adjustLot", { lotId, delta: "-1", reason: "count" }, "lot");
    await create(
      crew.operator,
      "shipLots",
      { customerId: ids.shop, reference: "SO-Y", lines: [{ lotId, quantity: "2" }] },
      "shipment",
    );
    const query = `query ($filter: StockMovementFilter, $first: Int, $after: String) {
      stockMovements(filter: $filter, first: $first, after: $after) {
        edges { cursor node { kind quantity createdAt lot { code } } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }`;
    const page = async (filter: object, first = 50, after: string | null = null) =>
      (await viewer.expectData<{ stockMovements: MovementPage }>(query, { filter, first, after })).stockMovements;
    const kinds = (p: MovementPage) => p.edges.map((e) => e.node.kind);

    // A movement shows once every transaction begun before it has ended (other suites share the
    // server in services mode): wait for the four, as a poller would.
    await expect.poll(async () => (await page({ materialId: yeast }, 2)).totalCount, { timeout: 15_000 }).toBe(4);
    const first = await page({ materialId: yeast }, 2);
    expect(kinds(first)).toEqual(["RECEIPT", "TRANSFER"]);
    expect(first.totalCount).toBe(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await page({ materialId: yeast }, 2, first.pageInfo.endCursor);
    expect(kinds(rest)).toEqual(["ADJUSTMENT", "SHIPMENT"]);
    expect(rest.edges.map((e) => e.node.quantity)).toEqual(["-1", "-2"]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    // Nothing new yet: the last cursor gives an empty page, then only what came after it.
    const caughtUp = await page({ materialId: yeast }, 50, rest.pageInfo.endCursor);
    expect(caughtUp.edges).toEqual([]);
    await create(crew.manager, "adjustLot", { lotId, delta: "1", reason: "found" }, "lot");
    await expect
      .poll(async () => kinds(await page({ materialId: yeast }, 50, rest.pageInfo.endCursor)), { timeout: 15_000 })
      .toEqual(["ADJUSTMENT"]);

    expect(kinds(await page({ materialId: yeast, locationId: ids.bin1 }))).toEqual(["RECEIPT", "TRANSFER"]);
    expect(kinds(await page({ materialId: yeast, locationId: ids.bin2 }))).toEqual([
      "TRANSFER",
      "ADJUSTMENT",
      "SHIPMENT",
      "ADJUSTMENT",
    ]);
    expect(kinds(await page({ materialId: yeast, kind: "TRANSFER" }))).toEqual(["TRANSFER"]);
    const since = rest.edges[1]!.node.createdAt;
    expect(kinds(await page({ materialId: yeast, since }))).toEqual(["SHIPMENT", "ADJUSTMENT"]);
    // Across materials, ascending: this lot's movements come after everything recorded earlier.
    await expect
      .poll(async () => (await page({}, 500)).edges.slice(-5).map((e) => e.node.lot.code), { timeout: 15_000 })
      .toEqual(Array(5).fill("MD-YEAST-1"));
    const all = await page({}, 500);
    expect(all.totalCount).toBe(all.edges.length);
    expect(await viewer.expectErrorCode(query, { filter: {}, after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
    expect(await new TestClient(lotgraph.gatewayUrl).expectErrorCode(query, { filter: {} })).toBe("UNAUTHENTICATED");
  });

  it("deactivates each kind once (a second time changes nothing), and keeps it readable", async () => {
    const oats = await create(
      crew.manager,
      "createMaterial",
      { sku: "MD-OATS", name: "Oats", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    const oatLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: oats, quantity: "4", locationId: ids.bin1, code: "MD-OATS-1" },
      "lot",
    );
    const gone = await mutate<Material>(
      crew.manager,
      "deactivateMaterial",
      { materialId: oats, reason: "discontinued" },
      "material",
      MATERIAL,
    );
    expect(gone.active).toBe(false);
    expect(gone.deactivatedAt).not.toBeNull();
    const twice = await mutate<Material>(
      crew.manager,
      "deactivateMaterial",
      { materialId: oats },
      "material",
      MATERIAL,
    );
    expect(twice).toEqual(gone);
    ids.oats = oats;
    ids.oatLot = oatLot;

    ids.bin3 = await create(
      crew.manager,
      "createLocation",
      { code: "MD-BIN3", name: "Bin 3", kind: "BIN", parentId: ids.A1 },
      "location",
    );
    ids.oldMill = await create(
      crew.manager,
      "createParty",
      { code: "MD-OLDMILL", name: "Old mill", kind: "SUPPLIER" },
      "party",
    );
    ids.oldShop = await create(
      crew.manager,
      "createParty",
      { code: "MD-OLDSHOP", name: "Old shop", kind: "CUSTOMER" },
      "party",
    );
    ids.histLot = await create(
      crew.operator,
      "receiveLot",
      { materialId: ids.flour, quantity: "3", locationId: ids.bin3, code: "MD-HIST-2", supplierId: ids.oldMill },
      "lot",
    );
    for (const [mutation, input, field] of [
      ["deactivateLocation", { locationId: ids.bin3 }, "location"],
      ["deactivateLocation", { locationId: ids.A2 }, "location"],
      ["deactivateParty", { partyId: ids.oldMill }, "party"],
      ["deactivateParty", { partyId: ids.oldShop }, "party"],
    ] as const) {
      const first = await mutate<{ active: boolean; deactivatedAt: string }>(
        crew.manager,
        mutation,
        input,
        field,
        "active deactivatedAt",
      );
      expect(first.active).toBe(false);
      expect(await mutate(crew.manager, mutation, input, field, "active deactivatedAt")).toEqual(first);
    }

    const read = await viewer.expectData<{
      material: { active: boolean };
      location: { active: boolean };
      party: { active: boolean };
      lot: { material: { sku: string; active: boolean }; location: { code: string }; supplier: { code: string } };
      materials: { edges: Array<{ node: { id: string } }> };
      all: { edges: Array<{ node: { id: string } }> };
      locations: Array<{ id: string }>;
      allLocations: Array<{ id: string }>;
      parties: Array<{ id: string }>;
      allParties: Array<{ id: string }>;
    }>(
      `query ($lot: ID) {
        material(sku: "MD-OATS") { active }
        location(code: "MD-BIN3") { active }
        party(code: "MD-OLDMILL") { active }
        lot(id: $lot) { material { sku active } location { code } supplier { code } }
        materials(first: 500) { edges { node { id } } }
        all: materials(first: 500, includeInactive: true) { edges { node { id } } }
        locations { id }
        allLocations: locations(includeInactive: true) { id }
        parties { id }
        allParties: parties(includeInactive: true) { id }
      }`,
      { lot: ids.histLot },
    );
    expect([read.material.active, read.location.active, read.party.active]).toEqual([false, false, false]);
    expect(read.lot).toEqual({
      material: { sku: "MD-FLOUR", active: true },
      location: { code: "MD-BIN3" },
      supplier: { code: "MD-OLDMILL" },
    });
    const idsOf = (list: Array<{ id: string }>) => list.map((x) => x.id);
    expect(idsOf(read.materials.edges.map((e) => e.node))).not.toContain(oats);
    expect(idsOf(read.all.edges.map((e) => e.node))).toContain(oats);
    expect(idsOf(read.locations)).not.toContain(ids.bin3);
    expect(idsOf(read.allLocations)).toContain(ids.bin3);
    expect(idsOf(read.parties)).not.toContain(ids.oldMill);
    expect(idsOf(read.allParties)).toEqual(expect.arrayContaining([ids.oldMill, ids.oldShop]));
  });

  it("refuses every write that would put deactivated master data to new use, and changes nothing", async () => {
    const { manager, operator } = crew;
    const lot = (code: string) => ({ quantity: "1", code, supplierId: null });
    await refused(
      operator,
      "receiveLot",
      { ...lot("MD-R1"), materialId: ids.oats, locationId: ids.bin1 },
      "BAD_USER_INPUT",
      "MD-OATS",
    );
    await refused(
      operator,
      "receiveLot",
      { ...lot("MD-R2"), materialId: ids.flour, locationId: ids.bin3 },
      "BAD_USER_INPUT",
      "MD-BIN3",
    );
    await refused(
      operator,
      "receiveLot",
      { ...lot("MD-R3"), materialId: ids.flour, locationId: ids.bin1, supplierId: ids.oldMill },
      "BAD_USER_INPUT",
      "MD-OLDMILL",
    );
    const none = await admin.expectData<{ lots: { totalCount: number } }>(
      `{ lots(filter: { codePrefix: "MD-R" }) { totalCount } }`,
    );
    expect(none.lots.totalCount).toBe(0);

    const lotId = await receive("MD-MOVE-1");
    await refused(operator, "moveLot", { lotId, toLocationId: ids.bin3 }, "BAD_USER_INPUT", "MD-BIN3");
    await refused(
      operator,
      "shipLots",
      { customerId: ids.oldShop, reference: "SO-X", lines: [{ lotId, quantity: "1" }] },
      "BAD_USER_INPUT",
      "MD-OLDSHOP",
    );
    const unchanged = await admin.expectData<{ lot: { quantity: string; location: { id: string } } }>(
      `query ($id: ID) { lot(id: $id) { quantity location { id } } }`,
      { id: lotId },
    );
    expect(unchanged.lot).toEqual({ quantity: "10", location: { id: ids.bin1 } });
    await refused(
      manager,
      "createLocation",
      { code: "MD-UNDER", name: "Under", kind: "BIN", parentId: ids.A2 },
      "BAD_USER_INPUT",
      "MD-A2",
    );
    await refused(manager, "updateLocation", { locationId: ids.bin1, parentId: ids.A2 }, "BAD_USER_INPUT", "MD-A2");

    // History stays usable: a lot may leave a deactivated location, and a lot of a deactivated
    // material may still move.
    const moved = await mutate<{ location: { id: string } }>(
      operator,
      "moveLot",
      { lotId: ids.histLot, toLocationId: ids.bin1 },
      "lot",
      "location { id }",
    );
    expect(moved.location.id).toBe(ids.bin1);
    await create(operator, "moveLot", { lotId: ids.oatLot, toLocationId: ids.bin2 }, "lot");
  });

  it("refuses work orders planning a deactivated material and outputs of one, but consumes its lots", async () => {
    const { manager, operator } = crew;
    await refused(
      manager,
      "createWorkOrder",
      { productId: ids.oats, plannedQuantity: "1", phases: [{ name: "Make" }] },
      "BAD_USER_INPUT",
      "MD-OATS",
    );
    await refused(
      manager,
      "createWorkOrder",
      {
        productId: ids.bread,
        plannedQuantity: "1",
        phases: [{ name: "Make" }],
        components: [{ materialId: ids.oats, quantity: "1" }],
      },
      "BAD_USER_INPUT",
      "MD-OATS",
    );
    const granola = await create(
      manager,
      "createMaterial",
      { sku: "MD-GRANOLA", name: "Granola", uom: "kg", kind: "FINISHED", tracking: "LOT" },
      "material",
    );
    const workOrderId = await create(
      manager,
      "createWorkOrder",
      { productId: granola, plannedQuantity: "5", phases: [{ name: "Make" }] },
      "workOrder",
    );
    await create(manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create(operator, "startRun", { workOrderId }, "run");
    // A lot of a deactivated material may still be used up (it is history, not a new use).
    await create(operator, "consumeLot", { runId, lotId: ids.oatLot, quantity: "1" }, "consumption");
    await refused(
      operator,
      "recordOutput",
      { runId, code: "MD-OUT-1", quantity: "1", locationId: ids.bin3 },
      "BAD_USER_INPUT",
      "MD-BIN3",
    );
    await create(manager, "deactivateMaterial", { materialId: granola }, "material");
    await refused(
      operator,
      "recordOutput",
      { runId, code: "MD-OUT-2", quantity: "1", locationId: ids.bin1 },
      "BAD_USER_INPUT",
      "MD-GRANOLA",
    );
    const outputs = await admin.expectData<{ lots: { totalCount: number } }>(
      `{ lots(filter: { codePrefix: "MD-OUT" }) { totalCount } }`,
    );
    expect(outputs.lots.totalCount).toBe(0);
  });

  it("lets only a MANAGER change master data, and an OPERATOR set a lot's externalRef", async () => {
    for (const client of [viewer, crew.operator]) {
      await refused(client, "updateMaterial", { materialId: ids.flour, name: "Nope" }, "FORBIDDEN");
      await refused(client, "updateLocation", { locationId: ids.bin1, name: "Nope" }, "FORBIDDEN");
      await refused(client, "updateParty", { partyId: ids.shop, name: "Nope" }, "FORBIDDEN");
      await refused(client, "deactivateMaterial", { materialId: ids.flour }, "FORBIDDEN");
      await refused(client, "deactivateLocation", { locationId: ids.bin1 }, "FORBIDDEN");
      await refused(client, "deactivateParty", { partyId: ids.shop }, "FORBIDDEN");
    }
    const [lotId = ""] = (
      await admin.expectData<{ lots: { edges: Array<{ node: { id: string } }> } }>(
        `{ lots(first: 1) { edges { node { id } } } }`,
      )
    ).lots.edges.map((e) => e.node.id);
    await refused(viewer, "setLotExternalRef", { lotId, externalRef: "NOPE" }, "FORBIDDEN");
    const flour = await material(ids.flour);
    expect([flour.name, flour.active]).toEqual(["Wheat flour", true]);
  });
});
