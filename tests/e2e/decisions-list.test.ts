import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, type PlantCrew } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const LIST = `query ($gateId: ID, $first: Int, $after: String) {
  qcDecisions(gateId: $gateId, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { result notes gate { name } lot { code } } }
  }
}`;

interface ListData {
  qcDecisions: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { result: string; notes: string; gate: { name: string }; lot: { code: string } } }>;
  };
}

/** `qcDecisions`: the latest decisions (the floor dashboard), newest first, paged, per gate. */
describe(`latest QC decisions (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let crew: PlantCrew;
  let anonymous: TestClient;
  const gates: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    anonymous = new TestClient(lotgraph.gatewayUrl);
    const admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    crew = await hireCrew(anonymous, admin, "list");
    const site = await create(admin, "createLocation", { code: "SITE", name: "Site", kind: "SITE" }, "location");
    const flour = await create(
      admin,
      "createMaterial",
      { sku: "FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
    for (const name of ["Moisture", "Colour"])
      gates[name] = await create(
        admin,
        "createQcGate",
        { name, blocking: false, criticalControlPoint: false, characteristics: [] },
        "gate",
      );
    const decide = async (code: string, gate: string, decision: string) => {
      const lotId = await create(
        crew.operator,
        "receiveLot",
        { materialId: flour, quantity: "10", locationId: site, code },
        "lot",
      );
      await crew.operator.expectData(
        `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`,
        { input: { gateId: gates[gate], lotId, decision, notes: `${gate} of ${code}` } },
      );
    };
    await decide("L-1", "Moisture", "PASS");
    await decide("L-2", "Colour", "HOLD");
    await decide("L-3", "Moisture", "FAIL");
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  it("lists decisions newest first, a page at a time, without gaps or repeats", async () => {
    const first = (await crew.operator.expectData<ListData>(LIST, { first: 2 })).qcDecisions;
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e) => e.node.lot.code)).toEqual(["L-3", "L-2"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await crew.operator.expectData<ListData>(LIST, { first: 2, after: first.pageInfo.endCursor }))
      .qcDecisions;
    expect(rest.edges.map((e) => e.node)).toEqual([
      { result: "PASS", notes: "Moisture of L-1", gate: { name: "Moisture" }, lot: { code: "L-1" } },
    ]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it("narrows to one gate, refuses a cursor it did not make, and needs a signed-in caller", async () => {
    const moisture = (await crew.operator.expectData<ListData>(LIST, { gateId: gates.Moisture })).qcDecisions;
    expect(moisture.totalCount).toBe(2);
    expect(moisture.edges.map((e) => e.node.result)).toEqual(["FAIL", "PASS"]);
    expect(await crew.operator.expectErrorCode(LIST, { after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
    expect(await anonymous.expectErrorCode(LIST, {})).toBe("UNAUTHENTICATED");
  });
});
