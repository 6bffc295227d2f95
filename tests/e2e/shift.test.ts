import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { eventually } from "../support/wait.ts";
import { create as createAs } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

/**
 * A whole shift through the gateway (issue 3): receive three raw lots from two suppliers, make an
 * intermediate, then serialised finished goods from it, ship part of them. Every quantity, every
 * ledger sum and the run-level genealogy are checked against numbers worked out by hand.
 */
describe(`a full shift through the gateway (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  const ids: Record<string, string> = {};

  const create = (mutation: string, input: Record<string, unknown>, field: string): Promise<string> =>
    createAs(admin, mutation, input, field);

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));

    ids.site = await create("createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.store = await create(
      "createLocation",
      { code: "STORE", name: "Store", kind: "AREA", parentId: ids.site },
      "location",
    );
    ids.mill = await create("createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.refinery = await create("createParty", { code: "REFINERY", name: "Refinery", kind: "SUPPLIER" }, "party");
    ids.shop = await create("createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    ids.flour = await create(
      "createMaterial",
      { sku: "FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    ids.sugar = await create(
      "createMaterial",
      { sku: "SUGAR", name: "Sugar", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    ids.dough = await create(
      "createMaterial",
      { sku: "DOUGH", name: "Dough", uom: "kg", kind: "INTERMEDIATE", tracking: "LOT" },
      "material",
    );
    ids.box = await create(
      "createMaterial",
      { sku: "BOX", name: "Cookie box", uom: "ea", kind: "FINISHED", tracking: "SERIAL" },
      "material",
    );
    ids.line = await create("createLine", { code: "L1", name: "Line 1" }, "line");
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  const receive = (code: string, materialId: string, quantity: string, supplierId: string) =>
    create(
      "receiveLot",
      { code, materialId, quantity, supplierId, supplierLotCode: `S-${code}`, locationId: ids.store },
      "lot",
    );

  const runWorkOrder = async (
    productId: string,
    plannedQuantity: string,
    components: Array<{ materialId: string; quantity: string }>,
    consumptions: Array<[string, string]>,
    output: { code: string; quantity: string; serialNumbers?: string[] },
  ) => {
    const workOrderId = await create(
      "createWorkOrder",
      { productId, plannedQuantity, lineId: ids.line, phases: [{ name: "Prepare" }, { name: "Make" }], components },
      "workOrder",
    );
    await create("releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create("startRun", { workOrderId }, "run");
    for (const [lotId, quantity] of consumptions) {
      await create(
        "consumeLot",
        { runId, lotId, quantity, idempotencyKey: `consume-${runId}-${lotId}` },
        "consumption",
      );
    }
    await create("advancePhase", { runId }, "run");
    const out = await admin.expectData<{ recordOutput: { output: { lot: Id & { code: string } } } }>(
      `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id code } } } }`,
      { input: { runId, locationId: ids.store, ...output } },
    );
    await create("completeRun", { runId }, "run");
    return { runId, lotId: out.recordOutput.output.lot.id };
  };

  it("keeps every quantity, ledger sum and genealogy link exact through receive, make, make, ship", async () => {
    ids.f1 = await receive("F1", ids.flour!, "100", ids.mill!);
    ids.f2 = await receive("F2", ids.flour!, "50", ids.refinery!);
    ids.s1 = await receive("S1", ids.sugar!, "40", ids.refinery!);

    const dough = await runWorkOrder(
      ids.dough!,
      "120",
      [
        { materialId: ids.flour!, quantity: "100" },
        { materialId: ids.sugar!, quantity: "30" },
      ],
      [
        [ids.f1!, "80"],
        [ids.f2!, "20.5"],
        [ids.s1!, "30"],
      ],
      { code: "D1", quantity: "125.5" },
    );
    const boxes = await runWorkOrder(
      ids.box!,
      "4",
      [{ materialId: ids.dough!, quantity: "100" }],
      [[dough.lotId, "100"]],
      {
        code: "B1",
        quantity: "4",
        serialNumbers: ["SN-001", "SN-002", "SN-003", "SN-004"],
      },
    );

    const shipped = await admin.expectData<{
      shipLots: { shipment: { reference: string; customer: { code: string }; lines: Array<{ quantity: string }> } };
    }>(
      `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { reference customer { code } lines { quantity } } } }`,
      {
        input: {
          customerId: ids.shop,
          reference: "SO-1001",
          // Serial-tracked: the three boxes that leave are named; SN-004 stays.
          lines: [{ lotId: boxes.lotId, quantity: "3", serialNumbers: ["SN-001", "SN-002", "SN-003"] }],
        },
      },
    );
    expect(shipped.shipLots.shipment).toEqual({
      reference: "SO-1001",
      customer: { code: "SHOP" },
      lines: [{ quantity: "3" }],
    });

    const expected: Record<string, { quantity: string; status: string }> = {
      F1: { quantity: "20", status: "AVAILABLE" },
      F2: { quantity: "29.5", status: "AVAILABLE" },
      S1: { quantity: "10", status: "AVAILABLE" },
      D1: { quantity: "25.5", status: "AVAILABLE" },
      B1: { quantity: "1", status: "AVAILABLE" },
    };
    const lots = await admin.expectData<{
      lots: { edges: Array<{ node: { code: string; quantity: string; status: string } }> };
    }>(`{ lots(first: 50) { edges { node { code quantity status } } } }`);
    expect(
      Object.fromEntries(
        lots.lots.edges.map(({ node }) => [node.code, { quantity: node.quantity, status: node.status }]),
      ),
    ).toEqual(expected);

    // The ledger is the truth: on-hand equals the sum of each lot's movements, for every lot.
    const drift = await lotgraph.databases.inventory.query(
      `SELECT l.code, l.quantity::text, coalesce(sum(m.quantity), 0)::text AS ledger
         FROM lot l LEFT JOIN stock_movement m ON m.lot_id = l.id
        GROUP BY l.id HAVING l.quantity <> coalesce(sum(m.quantity), 0)`,
    );
    expect(drift).toEqual([]);

    // Run-level genealogy (DESIGN.md §4.4), projected by traceability from production's events.
    const genealogy = `query ($id: ID) { lot(id: $id) { producedBy { id } parents { code } } }`;
    await eventually(async () => {
      const d1 = await admin.expectData<{ lot: { producedBy: Id; parents: Array<{ code: string }> } }>(genealogy, {
        id: dough.lotId,
      });
      expect(d1.lot.producedBy.id).toBe(dough.runId);
      expect(d1.lot.parents.map((p) => p.code).sort()).toEqual(["F1", "F2", "S1"]);
      const b1 = await admin.expectData<{ lot: { producedBy: Id; parents: Array<{ code: string }> } }>(genealogy, {
        id: boxes.lotId,
      });
      expect(b1.lot.parents.map((p) => p.code)).toEqual(["D1"]);
    });
  });

  it("lets 20 operators consume the same lot at once without on-hand ever going negative", async () => {
    const lotId = await receive("F-RACE", ids.flour!, "50", ids.mill!);
    const workOrderId = await create(
      "createWorkOrder",
      { productId: ids.dough!, plannedQuantity: "50", lineId: ids.line, phases: [{ name: "Mix" }] },
      "workOrder",
    );
    await create("releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create("startRun", { workOrderId }, "run");

    const consume = `mutation ($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id quantity } } }`;
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        admin.request<unknown>(consume, { input: { runId, lotId, quantity: "3", idempotencyKey: `race-${i}` } }),
      ),
    );
    const succeeded = attempts.filter((a) => !a.errors?.length).length;
    const refusals = attempts.flatMap((a) => a.errors ?? []).map((e) => e.extensions?.code);
    // 50 kg in lots of 3: exactly 16 can succeed; the other 4 are refused, never overdrawn.
    expect(succeeded).toBe(16);
    expect(new Set(refusals)).toEqual(new Set(["INSUFFICIENT_QUANTITY"]));

    const lot = await admin.expectData<{ lot: { quantity: string; status: string } }>(
      `query ($id: ID) { lot(id: $id) { quantity status } }`,
      { id: lotId },
    );
    expect(lot.lot).toEqual({ quantity: "2", status: "AVAILABLE" });
    const [ledger] = await lotgraph.databases.inventory.query<{ sum: string; negative: string }>(
      `SELECT sum(quantity)::numeric::text AS sum, count(*) FILTER (WHERE balance < 0)::text AS negative
         FROM stock_movement WHERE lot_id = $1::uuid`,
      [lotId],
    );
    expect(ledger).toEqual({ sum: "2.000000", negative: "0" });
    const [recorded] = await lotgraph.databases.production.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM consumption WHERE run_id = $1::uuid",
      [runId],
    );
    expect(recorded?.n).toBe("16");
  });
});
