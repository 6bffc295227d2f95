import type { SqlDriver } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew, type PlantCrew } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

/** Recovery reads its journal every 2 s; a write is due once the grace of its request has passed. */
const RECOVERED_WITHIN_MS = 15_000;

const PLACE = `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`;
const RELEASE = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id active } } }`;
const DECIDE = `mutation ($input: RecordQcDecisionInput!) { recordQcDecision(input: $input) { decision { id } } }`;
const LOT = `query ($id: ID) {
  lot(id: $id) {
    status
    holds { id active reason placedByName releasedByName signature { signerName meaning } }
    decisions { result decidedByName notes }
  }
}`;

interface LotView {
  status: string;
  holds: Array<{
    id: string;
    active: boolean;
    reason: string;
    placedByName: string;
    releasedByName: string | null;
    signature: { signerName: string; meaning: string } | null;
  }>;
  decisions: Array<{ result: string; decidedByName: string; notes: string | null }>;
}

/**
 * Quality's cross-service writes (decision 0012): inventory changes first, then quality records.
 * When quality's database fails between the two (here: a trigger raising a connection-class
 * error, as a database that went away mid-request does), the client gets SERVICE_UNAVAILABLE,
 * inventory has already changed, and the journalled write is completed by recovery without any
 * client retry: the hold, its signed release and the decision all end up recorded, in the name
 * of the person who asked, as if the request had finished.
 */
describe(`quality's cross-service writes completed after an outage (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let quality: SqlDriver;
  let admin: TestClient;
  let crew: PlantCrew;
  let siteId: string;
  let flourId: string;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    quality = lotgraph.databases.quality;
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    crew = await hireCrew(anonymous, admin, "rec");
    siteId = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    flourId = await create(
      admin,
      "createMaterial",
      { sku: "FLOUR", name: "Flour", uom: "kg", kind: "RAW", tracking: "LOT" },
      "material",
    );
  });

  afterAll(async () => {
    await lotgraph?.cleanup();
  });

  /** Quality's database refuses `event` on `table` as a lost connection would, until repaired. */
  async function outage(table: string, event: "INSERT" | "UPDATE"): Promise<() => Promise<void>> {
    await quality.exec(`
      CREATE OR REPLACE FUNCTION injected_outage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected outage' USING ERRCODE = '08006'; END $$;
      CREATE TRIGGER injected_outage BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION injected_outage();`);
    return async () => {
      await quality.exec(`DROP TRIGGER injected_outage ON ${table}`);
      // As if the request's grace (15 s) had passed, so the test need not wait it out.
      await quality.query("UPDATE pending_write SET next_attempt_at = now() WHERE completed_at IS NULL");
    };
  }

  const lot = async (id: string) => (await admin.expectData<{ lot: LotView }>(LOT, { id })).lot;
  const pending = async () =>
    (
      await quality.query<{ operation: string }>(
        "SELECT operation FROM pending_write WHERE completed_at IS NULL ORDER BY created_at",
      )
    ).map((row) => row.operation);

  /** The lot once recovery has done what `check` expects of it. */
  const recovered = (lotId: string, check: (view: LotView) => void) =>
    eventually(
      async () => {
        const view = await lot(lotId);
        check(view);
        return view;
      },
      { timeoutMs: RECOVERED_WITHIN_MS, intervalMs: 250 },
    );

  it("records a hold inventory placed before quality's database failed, then its signed release, without a retry", async () => {
    const lotId = await create(
      crew.operator,
      "receiveLot",
      { materialId: flourId, quantity: "100", locationId: siteId, code: "FL-REC-1" },
      "lot",
    );

    const repairHolds = await outage("hold", "INSERT");
    const placeCode = await crew.manager.expectErrorCode(PLACE, {
      input: { lotId, reason: "supplier recall notice", propagate: true },
    });
    expect(placeCode).toBe("SERVICE_UNAVAILABLE");
    const halfDone = await lot(lotId);
    expect(halfDone.status, "inventory holds the lot: material stops at once").toBe("ON_HOLD");
    expect(halfDone.holds, "quality has not recorded it yet").toEqual([]);
    expect(await pending()).toEqual(["placeHold"]);

    await repairHolds();
    const placed = await recovered(lotId, (view) => expect(view.holds).toHaveLength(1));
    expect(placed.holds[0]).toMatchObject({
      active: true,
      reason: "supplier recall notice",
      placedByName: "MANAGER rec",
    });
    expect(await pending()).toEqual([]);

    const repairReleases = await outage("hold", "UPDATE");
    const releaseCode = await crew.manager.expectErrorCode(RELEASE, {
      input: {
        holdId: placed.holds[0]!.id,
        reason: "supplier confirmed the lot is clean",
        signature: { password: "manager-password-rec", meaning: "approved for release" },
      },
    });
    expect(releaseCode).toBe("SERVICE_UNAVAILABLE");
    const released = await lot(lotId);
    expect(released.status, "inventory released the lot").toBe("AVAILABLE");
    expect(released.holds[0]?.active, "quality still shows the hold").toBe(true);
    expect(await pending()).toEqual(["releaseHold"]);

    await repairReleases();
    const recorded = await recovered(lotId, (view) => expect(view.holds[0]?.active).toBe(false));
    expect(recorded.holds[0]).toMatchObject({
      releasedByName: "MANAGER rec",
      signature: { signerName: "MANAGER rec", meaning: "approved for release" },
    });
    expect(recorded.status).toBe("AVAILABLE");
  });

  it("records a FAIL decision whose holds inventory applied before quality's database failed", async () => {
    const lotId = await create(
      crew.operator,
      "receiveLot",
      { materialId: flourId, quantity: "50", locationId: siteId, code: "FL-REC-2" },
      "lot",
    );
    const gateId = await create(
      admin,
      "createQcGate",
      { name: "Moisture check", blocking: true, criticalControlPoint: false, characteristics: [] },
      "gate",
    );

    const repair = await outage("qc_decision", "INSERT");
    const code = await crew.operator.expectErrorCode(DECIDE, {
      input: { gateId, lotId, decision: "FAIL", notes: "moisture 19 %" },
    });
    expect(code).toBe("SERVICE_UNAVAILABLE");
    expect((await lot(lotId)).status).toBe("ON_HOLD");
    expect(await pending()).toEqual(["recordQcDecision"]);

    await repair();
    const view = await recovered(lotId, (current) => expect(current.decisions).toHaveLength(1));
    expect(view.decisions[0]).toEqual({ result: "FAIL", decidedByName: "OPERATOR rec", notes: "moisture 19 %" });
    expect(view.holds.map((h) => h.active)).toEqual([true]);
    expect(view.status).toBe("ON_HOLD");
  });

  it("abandons a journalled write a rule refuses, and leaves nothing pending", async () => {
    const lotId = await create(
      crew.operator,
      "receiveLot",
      { materialId: flourId, quantity: "5", locationId: siteId, code: "FL-REC-3" },
      "lot",
    );
    await crew.manager.expectData(PLACE, { input: { lotId, reason: "first", propagate: false } });
    const [hold] = (await lot(lotId)).holds;
    const release = (meaning: string) =>
      crew.manager.request(RELEASE, {
        input: {
          holdId: hold!.id,
          reason: "clean",
          signature: { password: "manager-password-rec", meaning },
        },
      });
    // Two concurrent releases: one records, the other is refused by the rule and abandoned.
    const answers = await Promise.all([release("approved"), release("approved again")]);
    const codes = answers.map((a) => a.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    expect(await pending()).toEqual([]);
    const outcomes = await quality.query<{ outcome: string }>(
      "SELECT outcome FROM pending_write WHERE operation = 'releaseHold' AND payload->'hold'->>'id' = $1",
      [hold!.id],
    );
    // The loser was refused before it was journalled or abandoned after: never left pending.
    expect(outcomes.filter((o) => o.outcome === "completed")).toHaveLength(1);
    expect(outcomes.every((o) => o.outcome === "completed" || o.outcome === "abandoned")).toBe(true);
  });
});
