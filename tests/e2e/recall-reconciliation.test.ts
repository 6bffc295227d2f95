import { TokenService, resolveJwtSecret } from "@lotgraph/kit";
import { inventoryLedgerTotals } from "@lotgraph/traceability/inventory-ledger-totals";
import { reconcile, type LotLedgerTotals } from "@lotgraph/traceability/reconciliation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, runWorkOrder, type PlantCrew } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

interface Plant {
  binA: string;
  binB: string;
  flour: string;
  bread: string;
  mill: string;
  shop: string;
}

const RECEIVE = `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { id } } }`;
const MOVE = `mutation ($input: MoveLotInput!) { moveLot(input: $input) { lot { id } } }`;
const SHIP = `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`;
const SCRAP = `mutation ($input: ScrapLotInput!) { scrapLot(input: $input) { lot { id } } }`;
const ADJUST = `mutation ($input: AdjustLotInput!) { adjustLot(input: $input) { lot { id } } }`;
const TOTALS = `query ($ids: [ID!]!) {
  lotLedgerTotals(ids: $ids) { id uom received consumed shipped scrapped adjustments onHand status }
}`;

/**
 * Issue 21, a recall's reconciliation: stock moved through the gateway's public mutations
 * (receipt, transfer, production consumption and output, shipment, scrap, count corrections),
 * then inventory's internal ledger totals, asked with a service token as traceability asks them,
 * reconcile to the unit.
 */
describe(`a recall's reconciliation from inventory's ledger (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let crew: PlantCrew;
  let tokens: TokenService;
  let plant: Plant;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    crew = await hireCrew(anonymous, admin, "reconcile");
    tokens = new TokenService(await resolveJwtSecret(lotgraph.env));
    const site = await create(admin, "createLocation", { code: "RC-SITE", name: "Plant", kind: "SITE" }, "location");
    const bin = (code: string) =>
      create(admin, "createLocation", { code, name: code, kind: "BIN", parentId: site }, "location");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    const party = (code: string, kind: string) => create(admin, "createParty", { code, name: code, kind }, "party");
    plant = {
      binA: await bin("RC-BIN-A"),
      binB: await bin("RC-BIN-B"),
      flour: await material("RC-FLOUR", "RAW"),
      bread: await material("RC-BREAD", "FINISHED"),
      mill: await party("RC-MILL", "SUPPLIER"),
      shop: await party("RC-SHOP", "CUSTOMER"),
    };
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  it("sums each lot's ledger by what its movements did, and the source lots reconcile at 100 %", async () => {
    const { manager, operator } = crew;
    const received = await operator.expectData<{ receiveLot: { lot: { id: string } } }>(RECEIVE, {
      input: {
        materialId: plant.flour,
        quantity: "100",
        locationId: plant.binA,
        code: "RC-FLOUR-1",
        supplierId: plant.mill,
      },
    });
    const flour = received.receiveLot.lot.id;
    await operator.expectData(MOVE, { input: { lotId: flour, toLocationId: plant.binB } });
    const { lots } = await runWorkOrder(crew, {
      productId: plant.bread,
      locationId: plant.binB,
      consume: [[flour, "40.5"]],
      output: [["RC-BREAD-1", "38.25"]],
    });
    const bread = lots[0]!;
    await operator.expectData(SHIP, {
      input: {
        customerId: plant.shop,
        reference: "RC-PO-1",
        lines: [
          { lotId: flour, quantity: "25" },
          { lotId: bread, quantity: "10" },
        ],
      },
    });
    await manager.expectData(SCRAP, { input: { lotId: flour, quantity: "5", reason: "torn sack" } });
    // The cycle count finds the flour 2 kg short and the bread 2 kg over: net zero in kg.
    await manager.expectData(ADJUST, { input: { lotId: flour, delta: "-2", reason: "cycle count" } });
    await manager.expectData(ADJUST, { input: { lotId: bread, delta: "2", reason: "cycle count" } });

    // Inventory's internal query, on its own port, with a service token (as traceability calls it).
    const service = new TestClient(lotgraph.subgraphUrls.inventory, await tokens.internalToken("traceability"));
    const { lotLedgerTotals } = await service.expectData<{ lotLedgerTotals: LotLedgerTotals[] }>(TOTALS, {
      ids: [flour, bread],
    });
    expect(lotLedgerTotals).toEqual([
      {
        id: flour,
        uom: "kg",
        received: "100",
        consumed: "40.5",
        shipped: "25",
        scrapped: "5",
        adjustments: "-2",
        onHand: "27.5",
        status: "AVAILABLE",
      },
      {
        id: bread,
        uom: "kg",
        received: "38.25",
        consumed: "0",
        shipped: "10",
        scrapped: "0",
        adjustments: "2",
        onHand: "30.25",
        status: "AVAILABLE",
      },
    ]);
    // On-hand is what everyone else sees of the lot now.
    const seen = await admin.expectData<{ flour: { quantity: string }; bread: { quantity: string } }>(
      `query ($flour: ID, $bread: ID) { flour: lot(id: $flour) { quantity } bread: lot(id: $bread) { quantity } }`,
      { flour, bread },
    );
    expect([seen.flour.quantity, seen.bread.quantity]).toEqual(["27.5", "30.25"]);

    // Traceability's client asks the same and gets the same.
    const client = inventoryLedgerTotals({ tokens, peerUrl: () => lotgraph.subgraphUrls.inventory });
    expect(await client.lotLedgerTotals([flour, bread, flour])).toEqual(lotLedgerTotals);

    expect(reconcile(lotLedgerTotals)).toEqual({
      lines: [
        {
          uom: "kg",
          received: "138.25",
          consumed: "40.5",
          onHand: "57.75",
          shipped: "35",
          scrapped: "5",
          adjustments: "0",
          unaccounted: "0",
          percentAccountedFor: 100,
        },
      ],
      percentAccountedFor: 100,
      balanced: true,
    });
  });

  it("is internal: the gateway does not know it, and a person's token is refused on inventory's port", async () => {
    const viaGateway = await admin.request(TOTALS, { ids: [] });
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const direct = new TestClient(lotgraph.subgraphUrls.inventory, admin.token);
    const refused = await direct.request(TOTALS, { ids: [] });
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
