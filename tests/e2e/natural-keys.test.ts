import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

/** Issue 20: an ERP finds master data by its own keys (SKU, codes), with no id map to keep. */
describe(`master data by natural key (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    ids.material = await create(
      admin,
      "createMaterial",
      { sku: "NK-FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    ids.location = await create(admin, "createLocation", { code: "NK-DOCK", name: "Dock", kind: "SITE" }, "location");
    ids.party = await create(admin, "createParty", { code: "NK-MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.line = await create(admin, "createLine", { code: "NK-L1", name: "Line 1" }, "line");
  });
  afterAll(async () => lotgraph?.cleanup());

  it("finds a material by SKU, a location, a party and a line by code, as by id", async () => {
    const byKey = await admin.expectData<{
      material: { id: string; name: string };
      location: { id: string };
      party: { id: string };
      line: { id: string };
    }>(
      `{ material(sku: "NK-FLOUR") { id name } location(code: "NK-DOCK") { id } party(code: "NK-MILL") { id } line(code: "NK-L1") { id } }`,
    );
    expect(byKey).toEqual({
      material: { id: ids.material, name: "Flour" },
      location: { id: ids.location },
      party: { id: ids.party },
      line: { id: ids.line },
    });
    const line = await admin.expectData<{ line: { code: string } }>(`query ($id: ID) { line(id: $id) { code } }`, {
      id: ids.line,
    });
    expect(line.line.code).toBe("NK-L1");
    const byId = await admin.expectData<{ material: { id: string } }>(`query ($id: ID) { material(id: $id) { id } }`, {
      id: ids.material,
    });
    expect(byId.material.id).toBe(ids.material);
    const unknown = await admin.expectData(
      `{ material(sku: "NK-NONE") { id } location(code: "NK-NONE") { id } party(id: "not-an-id") { id } }`,
    );
    expect(unknown).toEqual({ material: null, location: null, party: null });
  });

  it("wants exactly one key, and a signed-in caller", async () => {
    for (const query of [
      `{ material { id } }`,
      `{ material(id: "${ids.material}", sku: "NK-FLOUR") { id } }`,
      `{ location { id } }`,
      `{ party(id: "${ids.party}", code: "NK-MILL") { id } }`,
      `{ line { id } }`,
    ]) {
      expect(await admin.expectErrorCode(query), query).toBe("BAD_USER_INPUT");
    }
    expect(await new TestClient(lotgraph.gatewayUrl).expectErrorCode(`{ material(sku: "NK-FLOUR") { id } }`)).toBe(
      "UNAUTHENTICATED",
    );
  });
});
