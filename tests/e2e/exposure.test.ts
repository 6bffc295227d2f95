import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create as createAs } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

interface ExposureData {
  exposure: {
    lots: Array<{
      lot: { code: string };
      fraction: string;
      quantityOfSource: string;
      quantity: string;
      uom: string;
      depth: number;
    }>;
    serials: Array<{ serial: { serialNumber: string }; lot: { code: string }; fraction: string }>;
    customers: Array<{
      customer: { code: string };
      shipments: Array<{ reference: string }>;
      quantityOfSource: string;
      uom: string;
    }>;
    sourceQuantity: Array<{ quantity: string; uom: string }>;
  };
}

const EXPOSURE = `query ($lotId: ID, $supplierLotCode: String) {
  exposure(lotId: $lotId, supplierLotCode: $supplierLotCode) {
    lots { lot { code } fraction quantityOfSource quantity uom depth }
    serials { serial { serialNumber } lot { code } fraction }
    customers { customer { code } shipments { reference } quantityOfSource uom }
    sourceQuantity { quantity uom }
  } }`;

/**
 * Unique per run: in services mode with Neo4j every suite's stack shares the run's one Neo4j
 * database, and the supplier lot code must reach this suite's lots only (docs/decisions/0014).
 */
const BAD_FLOUR = `SL-FLOUR-${randomBytes(3).toString("hex")}`;

/**
 * Decision 0023's exposure through the gateway. Flour of one supplier lot code arrives twice
 * (F1 100 kg, F2 50 kg); runs split, merge, add labels counted in ea, and pack serialised units;
 * shipments go to two customers. Every figure below is worked by hand:
 *
 *   mix:   F1 30 + S1 70            → D1 60, D2 35      F1 share 30/100 = 0.3
 *   merge: F2 20 + D2 10 + S1 10     → D3 40             (20 + 10 × 0.3) / 40 = 0.575
 *   bake:  D1 60 + D3 40 + L1 100 ea → C1 50, C2 40      (60 × 0.3 + 40 × 0.575) / 100 = 0.41
 *   pack:  C2 30 + S1 60             → P1 3 ea (serial)  30 × 0.41 / 90 = 0.1366… (loss, kg → ea)
 *   SO-1 SHOP C1 20 · SO-2 MARKET C1 10, C2 10 · SO-3 SHOP F1 10 · SO-4 SHOP P1 2 ea
 */
describe(`exposure through the gateway (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let anonymous: TestClient;
  let admin: TestClient;
  let viewer: TestClient;
  const ids: Record<string, string> = {};

  const create = (mutation: string, input: Record<string, unknown>, field: string): Promise<string> =>
    createAs(admin, mutation, input, field);
  const material = (sku: string, uom: string, kind: string, tracking = "LOT") =>
    create("createMaterial", { sku, name: sku, uom, kind, tracking }, "material");
  const receive = async (code: string, materialId: string, quantity: string, supplierId: string, lotCode: string) =>
    (ids[code] = await create(
      "receiveLot",
      { code, materialId, quantity, supplierId, supplierLotCode: lotCode, locationId: ids.store },
      "lot",
    ));
  const run = async (
    productId: string,
    inputs: Array<[string, string]>,
    outputs: Array<{ code: string; quantity: string; serialNumbers?: string[] }>,
  ) => {
    const workOrderId = await create(
      "createWorkOrder",
      { productId, plannedQuantity: "10", lineId: ids.line, phases: [{ name: "Make" }] },
      "workOrder",
    );
    await create("releaseWorkOrder", { workOrderId }, "workOrder");
    const runId = await create("startRun", { workOrderId }, "run");
    for (const [code, quantity] of inputs)
      await create("consumeLot", { runId, lotId: ids[code], quantity }, "consumption");
    for (const output of outputs) {
      const data = await admin.expectData<{ recordOutput: { output: { lot: Id } } }>(
        `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`,
        { input: { runId, locationId: ids.store, ...output } },
      );
      ids[output.code] = data.recordOutput.output.lot.id;
    }
    await create("completeRun", { runId }, "run");
  };
  const ship = (reference: string, customer: string, lines: Array<[string, string, string[]?]>) =>
    create(
      "shipLots",
      {
        customerId: ids[customer],
        reference,
        lines: lines.map(([code, quantity, serialNumbers]) => ({
          lotId: ids[code],
          quantity,
          ...(serialNumbers && { serialNumbers }),
        })),
      },
      "shipment",
    );

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    await create(
      "createUser",
      { email: "vera@plant.test", name: "Vera Viewer", roles: ["VIEWER"], password: "viewer-password-exposure" },
      "user",
    );
    viewer = anonymous.as(await anonymous.login("vera@plant.test", "viewer-password-exposure"));
    ids.site = await create("createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.store = await create(
      "createLocation",
      { code: "STORE", name: "Store", kind: "AREA", parentId: ids.site },
      "location",
    );
    ids.MILL = await create("createParty", { code: "MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    ids.FARM = await create("createParty", { code: "FARM", name: "Farm", kind: "SUPPLIER" }, "party");
    ids.SHOP = await create("createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    ids.MARKET = await create("createParty", { code: "MARKET", name: "Market", kind: "CUSTOMER" }, "party");
    ids.line = await create("createLine", { code: "L1", name: "Line 1" }, "line");
    const flour = await material("FLOUR", "kg", "RAW");
    const sugar = await material("SUGAR", "kg", "RAW");
    const label = await material("LABEL", "ea", "PACKAGING");
    const dough = await material("DOUGH", "kg", "INTERMEDIATE");
    const cake = await material("CAKE", "kg", "FINISHED");
    const pack = await material("PACK", "ea", "FINISHED", "SERIAL");

    await receive("F1", flour, "100", ids.MILL, BAD_FLOUR);
    await receive("F2", flour, "50", ids.FARM, BAD_FLOUR);
    await receive("S1", sugar, "200", ids.MILL, "SL-SUGAR");
    await receive("L1", label, "1000", ids.FARM, "SL-LABEL");
    await run(
      dough,
      [
        ["F1", "30"],
        ["S1", "70"],
      ],
      [
        { code: "D1", quantity: "60" },
        { code: "D2", quantity: "35" },
      ],
    );
    await run(
      dough,
      [
        ["F2", "20"],
        ["D2", "10"],
        ["S1", "10"],
      ],
      [{ code: "D3", quantity: "40" }],
    );
    await run(
      cake,
      [
        ["D1", "60"],
        ["D3", "40"],
        ["L1", "100"],
      ],
      [
        { code: "C1", quantity: "50" },
        { code: "C2", quantity: "40" },
      ],
    );
    await run(
      pack,
      [
        ["C2", "30"],
        ["S1", "60"],
      ],
      [{ code: "P1", quantity: "3", serialNumbers: ["PK-1", "PK-2", "PK-3"] }],
    );
    await ship("SO-1", "SHOP", [["C1", "20"]]);
    await ship("SO-2", "MARKET", [
      ["C1", "10"],
      ["C2", "10"],
    ]);
    await ship("SO-3", "SHOP", [["F1", "10"]]);
    await ship("SO-4", "SHOP", [["P1", "2", ["PK-1", "PK-2"]]]);
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  /** The exposure once the projection has caught up with everything the test did. */
  const settledExposure = async (variables: Record<string, string>, expected: ExposureData["exposure"]) => {
    await expect
      .poll(async () => (await viewer.expectData<ExposureData>(EXPOSURE, variables)).exposure, { timeout: 30_000 })
      .toEqual(expected);
  };
  const lot = (
    code: string,
    fraction: string,
    quantityOfSource: string,
    quantity: string,
    depth: number,
    uom = "kg",
  ) => ({
    lot: { code },
    fraction,
    quantityOfSource,
    quantity,
    uom,
    depth,
  });
  const customer = (code: string, references: string[], quantityOfSource: string, uom = "kg") => ({
    customer: { code },
    shipments: references.map((reference) => ({ reference })),
    quantityOfSource,
    uom,
  });

  it("allocates a supplier lot code by consumption share to every lot, serial and customer", async () => {
    await settledExposure(
      { supplierLotCode: BAD_FLOUR },
      {
        lots: [
          ...[
            lot("F1", "1.000000", "100.000000", "100.000000", 0),
            lot("F2", "1.000000", "50.000000", "50.000000", 0),
          ].sort((a, b) => (ids[a.lot.code]! < ids[b.lot.code]! ? -1 : 1)),
          ...[
            lot("D1", "0.300000", "18.000000", "60.000000", 1),
            lot("D2", "0.300000", "10.500000", "35.000000", 1),
            lot("D3", "0.575000", "23.000000", "40.000000", 1),
          ].sort((a, b) => (ids[a.lot.code]! < ids[b.lot.code]! ? -1 : 1)),
          ...[
            lot("C1", "0.410000", "20.500000", "50.000000", 2),
            lot("C2", "0.410000", "16.400000", "40.000000", 2),
          ].sort((a, b) => (ids[a.lot.code]! < ids[b.lot.code]! ? -1 : 1)),
          // 3 × 12.3 / 90 = 0.41 exactly, though the fraction shows rounded.
          lot("P1", "0.136667", "0.410000", "3.000000", 3, "ea"),
        ],
        serials: ["PK-1", "PK-2", "PK-3"].map((serialNumber) => ({
          serial: { serialNumber },
          lot: { code: "P1" },
          fraction: "0.136667",
        })),
        customers: [
          customer("SHOP", ["SO-1", "SO-3"], "18.200000"), // 20 × 0.41 + 10 of F1 itself
          customer("MARKET", ["SO-2"], "8.200000"), // (10 + 10) × 0.41
          customer("SHOP", ["SO-4"], "0.273333", "ea"), // 2 × 0.1366…, rounded once
        ],
        sourceQuantity: [{ quantity: "150.000000", uom: "kg" }],
      },
    );
  });

  it("allocates one lot alone: F2 leaves the figures, F1's share carries through the merge", async () => {
    // D3 = 10 × 0.3 / 40 = 0.075 (two runs from F1); C = (60 × 0.3 + 40 × 0.075) / 100 = 0.21;
    // P1 = 30 × 0.21 / 90 = 0.07.
    await settledExposure(
      { lotId: ids.F1! },
      {
        lots: [
          lot("F1", "1.000000", "100.000000", "100.000000", 0),
          ...[
            lot("D1", "0.300000", "18.000000", "60.000000", 1),
            lot("D2", "0.300000", "10.500000", "35.000000", 1),
          ].sort((a, b) => (ids[a.lot.code]! < ids[b.lot.code]! ? -1 : 1)),
          ...[
            lot("C1", "0.210000", "10.500000", "50.000000", 2),
            lot("C2", "0.210000", "8.400000", "40.000000", 2),
            lot("D3", "0.075000", "3.000000", "40.000000", 2),
          ].sort((a, b) => (ids[a.lot.code]! < ids[b.lot.code]! ? -1 : 1)),
          lot("P1", "0.070000", "0.210000", "3.000000", 3, "ea"),
        ],
        serials: ["PK-1", "PK-2", "PK-3"].map((serialNumber) => ({
          serial: { serialNumber },
          lot: { code: "P1" },
          fraction: "0.070000",
        })),
        customers: [
          customer("SHOP", ["SO-1", "SO-3"], "14.200000"),
          customer("MARKET", ["SO-2"], "4.200000"),
          customer("SHOP", ["SO-4"], "0.140000", "ea"),
        ],
        sourceQuantity: [{ quantity: "100.000000", uom: "kg" }],
      },
    );
  });

  it("refuses a bad start with a typed error: both, neither, an unknown code, a malformed id, no sign-in", async () => {
    expect(await viewer.expectErrorCode(EXPOSURE, { lotId: ids.F1!, supplierLotCode: BAD_FLOUR })).toBe(
      "BAD_USER_INPUT",
    );
    expect(await viewer.expectErrorCode(EXPOSURE, {})).toBe("BAD_USER_INPUT");
    expect(await viewer.expectErrorCode(EXPOSURE, { supplierLotCode: `${BAD_FLOUR}-NOPE` })).toBe("NOT_FOUND");
    expect(await viewer.expectErrorCode(EXPOSURE, { lotId: "not-a-lot" })).toBe("BAD_USER_INPUT");
    expect(await anonymous.expectErrorCode(EXPOSURE, { lotId: ids.F1! })).toBe("UNAUTHENTICATED");
  });
});
