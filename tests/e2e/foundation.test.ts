import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "@lotgraph/kit";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const CREATE_MATERIAL = `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id sku uom } } }`;
const CREATE_LOCATION = `mutation ($input: CreateLocationInput!) { createLocation(input: $input) { location { id code } } }`;
const CREATE_PARTY = `mutation ($input: CreatePartyInput!) { createParty(input: $input) { party { id code } } }`;
const RECEIVE_LOT = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id code quantity uom status } } }`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id email roles } } }`;

/** What a write leaves behind in inventory: any bad input must leave every count unchanged. */
async function inventoryFootprint(sql: SqlDriver) {
  const [row] = await sql.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM lot)::text AS lots,
           (SELECT count(*) FROM stock_movement)::text AS movements,
           (SELECT count(*) FROM material)::text AS materials,
           (SELECT count(*) FROM audit_log)::text AS audit,
           (SELECT count(*) FROM outbox)::text AS outbox,
           (SELECT count(*) FROM idempotency_key)::text AS idempotency`);
  return row;
}

describe(`foundation, end to end through the gateway (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let anonymous: TestClient;
  let admin: TestClient;
  let materialId: string;
  let locationId: string;
  let supplierId: string;

  beforeAll(async () => {
    // Over HTTP, as when every service runs in its own process: the other suites use the
    // all-in-one default (the gateway calls the subgraphs' handlers in process), so this one keeps
    // the gateway's HTTP path to the subgraphs (token and request id forwarded) under test.
    lotgraph = await startTestLotgraph({ subgraphTransport: "http" });
    anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    materialId = (
      await admin.expectData<{ createMaterial: { material: { id: string } } }>(CREATE_MATERIAL, {
        input: { sku: "FLOUR-T55", name: "Wheat flour T55", uom: "kg", kind: "RAW", tracking: "LOT" },
      })
    ).createMaterial.material.id;
    locationId = (
      await admin.expectData<{ createLocation: { location: { id: string } } }>(CREATE_LOCATION, {
        input: { code: "PLANT-1", name: "Plant 1", kind: "SITE" },
      })
    ).createLocation.location.id;
    supplierId = (
      await admin.expectData<{ createParty: { party: { id: string } } }>(CREATE_PARTY, {
        input: { code: "MILL-A", name: "Mill A", kind: "SUPPLIER" },
      })
    ).createParty.party.id;
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  it("serves one federated query with fields from inventory, production, quality and traceability", async () => {
    const received = await admin.expectData<{ receiveLot: { lot: { id: string; quantity: string; status: string } } }>(
      RECEIVE_LOT,
      {
        input: {
          materialId,
          locationId,
          quantity: "1250.500",
          code: "L-FED-1",
          supplierId,
          supplierLotCode: "SL-4471",
        },
      },
    );
    expect(received.receiveLot.lot).toMatchObject({ quantity: "1250.5", status: "AVAILABLE" });
    const lotId = received.receiveLot.lot.id;

    const query = `query ($id: ID) { lot(id: $id) {
      code quantity uom status supplierLotCode material { sku } location { code } supplier { code }
      producedBy { id } qualityStatus parents { id } children { id } } }`;
    // qualityStatus is PENDING with or without quality's projection row; the projection itself
    // is checked through traceability below.
    const lot = await eventually(
      async () => (await admin.expectData<{ lot: Record<string, unknown> }>(query, { id: lotId })).lot,
    );
    expect(lot).toEqual({
      code: "L-FED-1",
      quantity: "1250.5",
      uom: "kg",
      status: "AVAILABLE",
      supplierLotCode: "SL-4471",
      material: { sku: "FLOUR-T55" },
      location: { code: "PLANT-1" },
      supplier: { code: "MILL-A" },
      producedBy: null,
      qualityStatus: "PENDING",
      parents: [],
      children: [],
    });
  });

  it("projects the received lot into traceability's genealogy from the bus", async () => {
    const { receiveLot } = await admin.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE_LOT, {
      input: { materialId, locationId, quantity: "10", code: "L-GEN-1" },
    });
    await eventually(async () => {
      const rows = await lotgraph.databases.traceability.query("SELECT code FROM genealogy_lot WHERE lot_id = $1", [
        receiveLot.lot.id,
      ]);
      expect(rows).toEqual([{ code: "L-GEN-1" }]);
    });
  });

  it("lists lots as a connection, newest first, with cursors and a total", async () => {
    for (const code of ["L-PAGE-1", "L-PAGE-2", "L-PAGE-3"]) {
      await admin.expectData(RECEIVE_LOT, { input: { materialId, locationId, quantity: "1", code } });
    }
    const page = `query ($after: String) { lots(filter: { codePrefix: "l-page" }, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }`;
    type Page = {
      lots: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: Array<{ node: { code: string } }>;
      };
    };
    const first = await admin.expectData<Page>(page);
    expect(first.lots.totalCount).toBe(3);
    expect(first.lots.edges.map((e) => e.node.code)).toEqual(["L-PAGE-3", "L-PAGE-2"]);
    expect(first.lots.pageInfo.hasNextPage).toBe(true);
    const second = await admin.expectData<Page>(page, { after: first.lots.pageInfo.endCursor });
    expect(second.lots.edges.map((e) => e.node.code)).toEqual(["L-PAGE-1"]);
    expect(second.lots.pageInfo.hasNextPage).toBe(false);
  });

  it("narrows lots to those received in a time window, and refuses a window that ends before it starts", async () => {
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await admin.expectData(RECEIVE_LOT, { input: { materialId, locationId, quantity: "1", code: "L-WINDOW-1" } });
    const after = new Date(Date.now() + 20);
    const codes = async (filter: Record<string, unknown>) =>
      (
        await admin.expectData<{ lots: { edges: Array<{ node: { code: string } }> } }>(
          `query ($filter: LotFilter) { lots(filter: $filter, first: 500) { edges { node { code } } } }`,
          { filter },
        )
      ).lots.edges.map((e) => e.node.code);
    expect(await codes({ createdFrom: before.toISOString() })).toEqual(["L-WINDOW-1"]);
    expect(await codes({ createdFrom: before.toISOString(), createdBefore: after.toISOString() })).toEqual([
      "L-WINDOW-1",
    ]);
    expect(await codes({ createdBefore: before.toISOString() })).not.toContain("L-WINDOW-1");
    expect(
      await admin.expectErrorCode(`query ($filter: LotFilter) { lots(filter: $filter) { totalCount } }`, {
        filter: { createdFrom: after.toISOString(), createdBefore: before.toISOString() },
      }),
    ).toBe("BAD_USER_INPUT");
  });

  it("refuses a mutation without a token with UNAUTHENTICATED", async () => {
    const code = await anonymous.expectErrorCode(CREATE_MATERIAL, {
      input: { sku: "NOPE", name: "Nope", uom: "kg", kind: "RAW", tracking: "LOT" },
    });
    expect(code).toBe("UNAUTHENTICATED");
  });

  it("refuses a mutation with a VIEWER token with FORBIDDEN, and a forged token with UNAUTHENTICATED", async () => {
    await admin.expectData(CREATE_USER, {
      input: { email: "viewer@plant.example", name: "Vera Viewer", password: "viewer-password-1", roles: ["VIEWER"] },
    });
    const viewer = anonymous.as(await anonymous.login("viewer@plant.example", "viewer-password-1"));
    expect(
      await viewer.expectErrorCode(RECEIVE_LOT, { input: { materialId, locationId, quantity: "1", code: "L-VIEWER" } }),
    ).toBe("FORBIDDEN");
    const forged = anonymous.as(
      `${(await anonymous.login("viewer@plant.example", "viewer-password-1")).slice(0, -4)}AAAA`,
    );
    expect(await forged.expectErrorCode(`{ lots { totalCount } }`)).toBe("UNAUTHENTICATED");
  });

  it("answers bad input with BAD_USER_INPUT or CONFLICT and writes nothing: no row, no audit entry, no event", async () => {
    await admin.expectData(RECEIVE_LOT, { input: { materialId, locationId, quantity: "5", code: "L-DUP" } });
    const before = await inventoryFootprint(lotgraph.databases.inventory);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        "unknown material",
        { materialId: "00000000-0000-4000-8000-000000000000", locationId, quantity: "1", code: "L-X1" },
        "BAD_USER_INPUT",
      ],
      ["negative quantity", { materialId, locationId, quantity: "-3", code: "L-X2" }, "BAD_USER_INPUT"],
      ["zero quantity", { materialId, locationId, quantity: "0", code: "L-X3" }, "BAD_USER_INPUT"],
      ["non-numeric quantity", { materialId, locationId, quantity: "twelve", code: "L-X4" }, "BAD_USER_INPUT"],
      ["duplicate lot code", { materialId, locationId, quantity: "1", code: "L-DUP" }, "CONFLICT"],
      [
        "a customer as supplier",
        { materialId, locationId, quantity: "1", code: "L-X5", supplierId: materialId },
        "BAD_USER_INPUT",
      ],
    ];
    for (const [name, input, expected] of cases) {
      expect({ name, code: await admin.expectErrorCode(RECEIVE_LOT, { input }) }).toEqual({ name, code: expected });
    }
    expect(
      await admin.expectErrorCode(CREATE_MATERIAL, {
        input: { sku: "FLOUR-T55", name: "Again", uom: "kg", kind: "RAW", tracking: "LOT" },
      }),
    ).toBe("CONFLICT");
    expect(await inventoryFootprint(lotgraph.databases.inventory)).toEqual(before);
  });

  it("returns the first result for a retried receipt with the same idempotencyKey and records it once", async () => {
    const input = { materialId, locationId, quantity: "7.25", code: "L-IDEM", idempotencyKey: "erp-receipt-991" };
    const first = await admin.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE_LOT, { input });
    const before = await inventoryFootprint(lotgraph.databases.inventory);
    const retry = await admin.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE_LOT, { input });
    expect(retry.receiveLot.lot.id).toBe(first.receiveLot.lot.id);
    expect(await inventoryFootprint(lotgraph.databases.inventory)).toEqual(before);
    expect(await admin.expectErrorCode(RECEIVE_LOT, { input: { ...input, quantity: "8" } })).toBe("CONFLICT");
  });

  it("writes an audit entry per change in every subgraph, and the chains verify", async () => {
    const { verifyAuditChain } = await import("@lotgraph/kit");
    for (const name of ["inventory", "identity"] as const) {
      const result = await verifyAuditChain(lotgraph.databases[name]);
      expect(result.ok, `${name}: ${JSON.stringify(result.brokenAt)}`).toBe(true);
      expect(result.entries).toBeGreaterThan(0);
    }
  });

  it("serves no metrics without LOTGRAPH_METRICS_PORT: no metrics server, no /metrics on the public port", async () => {
    expect(lotgraph.env.LOTGRAPH_METRICS_PORT).toBeUndefined();
    expect(lotgraph.metricsUrl).toBeNull();
    expect((await fetch(new URL("/metrics", lotgraph.gatewayUrl))).status).toBe(404);
  });

  it("reports every subgraph ready on the gateway's /readyz", async () => {
    const response = await fetch(lotgraph.gatewayUrl.replace(/\/graphql$/, "/readyz"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ready",
      checks: { identity: "ok", inventory: "ok", production: "ok", quality: "ok", traceability: "ok" },
    });
  });
});
