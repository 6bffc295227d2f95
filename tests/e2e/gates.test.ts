import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventBus } from "@lotgraph/kit";
import { expectRefusedWithoutChange } from "../support/footprint.ts";
import { TestClient } from "../support/graphql-client.ts";
import { LiveTestClient, type Subscription } from "../support/live-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { PausableBus } from "../support/pausable-bus.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;
type Id = { id: string };

const MANAGER_PASSWORD = "manager-password-gates";
const DETECTOR_OK = [{ characteristic: "Fe 2.0 mm test piece", value: 1 }];

const CONSUME = `mutation ($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id } } }`;
const OUTPUT = `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id status } } } }`;
const SHIP = `mutation ($input: ShipLotsInput!) { shipLots(input: $input) { shipment { id } } }`;
const ADVANCE = `mutation ($input: AdvancePhaseInput!) { advancePhase(input: $input) { run { currentPhase { sequence } } } }`;
const COMPLETE = `mutation ($input: CompleteRunInput!) { completeRun(input: $input) { run { status } } }`;
const CANCEL_RUN = `mutation ($input: CancelRunInput!) { cancelRun(input: $input) { run { status } } }`;
const CANCEL_WO = `mutation ($input: CancelWorkOrderInput!) { cancelWorkOrder(input: $input) { workOrder { status } } }`;
const DECIDE = `mutation ($input: RecordQcDecisionInput!) {
  recordQcDecision(input: $input) { decision { id hold { id } } affectedLots { id } }
}`;
const PLACE = `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id lot { id } } affectedLots { id } } }`;
const RELEASE = `mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } released { id } } }`;
const LOT = `query ($id: ID) {
  lot(id: $id) {
    id status qualityStatus awaitingRelease { kind gate { id } }
    holds { id active reason cause { id } decision { id } placedByName }
  }
}`;
const TRAIL = `query ($filter: AuditTrailFilter) {
  auditTrail(filter: $filter, first: 50) { totalCount edges { node { subgraph action actor { name } entityId summary } } }
}`;

interface LotView {
  id: string;
  status: string;
  qualityStatus: string;
  awaitingRelease: Array<{ kind: string; gate: Id | null }>;
  holds: Array<{
    id: string;
    active: boolean;
    reason: string;
    cause: Id | null;
    decision: Id | null;
    placedByName: string;
  }>;
}

/**
 * Issue 13, through the gateway: quality that cannot be skipped. No path takes a run's output
 * past a blocking gate without a PASS; lots made from held material are born ON_HOLD; holds reach
 * descendants whatever traceability's projection has seen; decisions on a run hold its outputs,
 * recorded before or after; and every hold these paths create is announced live.
 */
describe(`gates and holds that cannot be skipped (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let traceabilityBus: PausableBus;
  let admin: TestClient;
  let manager: TestClient;
  let operator: TestClient;
  let checker: TestClient;
  let live: LiveTestClient;
  let placed: Subscription<{ holdPlaced: { id: string; lot: Id; cause: Id | null } }>;
  let released: Subscription<{ holdReleased: { id: string; lot: Id; active: boolean } }>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    lotgraph = await startTestLotgraph({
      busFor: (name, bus: EventBus) => (name === "traceability" ? (traceabilityBus = new PausableBus(bus)) : bus),
    });
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    const user = async (email: string, name: string, roles: string[], password: string) => {
      await create(admin, "createUser", { email, name, roles, password }, "user");
      return anonymous.as(await anonymous.login(email, password));
    };
    manager = await user("qm@gates.test", "Quinn Manager", ["MANAGER"], MANAGER_PASSWORD);
    operator = await user("op@gates.test", "Oli Operator", ["OPERATOR"], "operator-password-gates");
    checker = await user("qc@gates.test", "Cleo Checker", ["OPERATOR"], "checker-password-gates");
    ids.site = await create(admin, "createLocation", { code: "SITE", name: "Plant", kind: "SITE" }, "location");
    ids.shop = await create(admin, "createParty", { code: "SHOP", name: "Shop", kind: "CUSTOMER" }, "party");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("FLOUR", "RAW");
    ids.dough = await material("DOUGH", "INTERMEDIATE");
    ids.bread = await material("BREAD", "FINISHED");
    ids.line = await create(manager, "createLine", { code: "L1", name: "Line 1" }, "line");
    ids.detector = await create(
      manager,
      "createQcGate",
      {
        name: "Metal detector",
        blocking: true,
        criticalControlPoint: true,
        segregationOfDuties: true,
        characteristics: [{ name: "Fe 2.0 mm test piece", lower: 1, upper: 1, unit: "detected" }],
      },
      "gate",
    );
    ids.visual = await create(
      manager,
      "createQcGate",
      { name: "Visual", blocking: false, criticalControlPoint: false, characteristics: [] },
      "gate",
    );
    live = LiveTestClient.withToken(
      lotgraph.gatewayUrl,
      await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!),
    );
    placed = live.subscribe(`subscription { holdPlaced { id lot { id } cause { id } } }`);
    released = live.subscribe(`subscription { holdReleased { id lot { id } active } }`);
  });

  afterAll(async () => {
    await live?.dispose();
    await lotgraph?.cleanup();
  });

  const receive = (code: string, quantity = "100") =>
    create(operator, "receiveLot", { code, materialId: ids.flour, quantity, locationId: ids.site }, "lot");
  const startRun = async (productId: string, phases: Array<{ name: string; gateId?: string }>) => {
    const workOrderId = await create(
      manager,
      "createWorkOrder",
      { productId, plannedQuantity: "10", phases, lineId: ids.line },
      "workOrder",
    );
    await create(manager, "releaseWorkOrder", { workOrderId }, "workOrder");
    return { workOrderId, runId: await create(operator, "startRun", { workOrderId }, "run") };
  };
  const output = async (runId: string, code: string, by = operator) =>
    (
      await by.expectData<{ recordOutput: { output: { lot: { id: string; status: string } } } }>(OUTPUT, {
        input: { runId, code, quantity: "5", locationId: ids.site },
      })
    ).recordOutput.output.lot;
  const lot = async (id: string) => (await admin.expectData<{ lot: LotView }>(LOT, { id })).lot;
  const refused = (client: TestClient, query: string, input: Record<string, unknown>) =>
    expectRefusedWithoutChange(lotgraph.databases, () => client.expectErrorCode(query, { input }));

  it("lets no path take a run's output past a blocking gate without a PASS", async () => {
    const raw = await receive("R-GATE");
    const { workOrderId, runId } = await startRun(ids.bread!, [
      { name: "Bake" },
      { name: "Pack", gateId: ids.detector },
    ]);
    await operator.expectData(CONSUME, { input: { runId, lotId: raw, quantity: "10" } });
    const early = await output(runId, "BREAD-EARLY");
    expect(early.status).toBe("QUARANTINE");
    expect(await lot(early.id)).toMatchObject({
      status: "QUARANTINE",
      qualityStatus: "PENDING",
      awaitingRelease: [{ kind: "GATE", gate: { id: ids.detector } }],
    });
    const other = await startRun(ids.bread!, [{ name: "Use" }]);
    const pass = { gateId: ids.detector, runId, decision: "PASS", measurements: DETECTOR_OK };

    // Completing from the first phase would skip the metal detector.
    expect(await refused(operator, COMPLETE, { runId })).toBe("GATE_BLOCKED");
    // Shipped or consumed before the check.
    const ship = { customerId: ids.shop, reference: "SO-EARLY", lines: [{ lotId: early.id, quantity: "1" }] };
    expect(await refused(operator, SHIP, ship)).toBe("LOT_UNAVAILABLE");
    expect(await refused(operator, CONSUME, { runId: other.runId, lotId: early.id, quantity: "1" })).toBe(
      "LOT_UNAVAILABLE",
    );
    // Passed ahead of time, before the product reached the detector: the run, or its lot.
    expect(await refused(checker, DECIDE, pass)).toBe("CONFLICT");
    expect(await refused(checker, DECIDE, { ...pass, runId: undefined, lotId: early.id })).toBe("CONFLICT");
    // The work order cannot be cancelled from under a running run.
    expect(await refused(manager, CANCEL_WO, { workOrderId, reason: "skip it" })).toBe("CONFLICT");

    await operator.expectData(ADVANCE, { input: { runId } });
    // At the detector now: still not past it without a PASS.
    expect(await refused(operator, COMPLETE, { runId })).toBe("GATE_BLOCKED");
    expect(await refused(operator, ADVANCE, { runId })).toBe("GATE_BLOCKED");
    const late = await output(runId, "BREAD-LATE");
    expect(late.status).toBe("QUARANTINE");
    // A PASS needs every characteristic, within its limits...
    expect(await refused(checker, DECIDE, { ...pass, measurements: [] })).toBe("BAD_USER_INPUT");
    expect(
      await refused(checker, DECIDE, { ...pass, measurements: [{ characteristic: "Fe 2.0 mm test piece", value: 0 }] }),
    ).toBe("BAD_USER_INPUT");
    // ...from someone other than who recorded the output (segregation of duties)...
    expect(await refused(operator, DECIDE, pass)).toBe("FORBIDDEN");
    expect(await refused(operator, DECIDE, { ...pass, runId: undefined, lotId: late.id })).toBe("FORBIDDEN");
    // ...and a PASS at another gate settles nothing about this one.
    await checker.expectData(DECIDE, { input: { gateId: ids.visual, lotId: late.id, decision: "PASS" } });
    expect((await lot(late.id)).status).toBe("QUARANTINE");
    // Cancelling the run passes no gate either: its outputs keep waiting.
    const cancelled = await startRun(ids.bread!, [{ name: "Pack", gateId: ids.detector }]);
    const stranded = await output(cancelled.runId, "BREAD-STRANDED");
    await manager.expectData(CANCEL_RUN, { input: { runId: cancelled.runId, reason: "line stopped" } });
    expect((await lot(stranded.id)).status).toBe("QUARANTINE");
    expect(
      await refused(operator, SHIP, {
        ...ship,
        reference: "SO-STRANDED",
        lines: [{ lotId: stranded.id, quantity: "1" }],
      }),
    ).toBe("LOT_UNAVAILABLE");
    expect(
      await refused(operator, OUTPUT, {
        runId: cancelled.runId,
        code: "BREAD-AFTER",
        quantity: "1",
        locationId: ids.site,
      }),
    ).toBe("CONFLICT");
    expect(await refused(operator, COMPLETE, { runId: cancelled.runId })).toBe("CONFLICT");

    // The detector checked by a second person: every output of the run is released at once.
    await checker.expectData(DECIDE, { input: pass });
    for (const id of [early.id, late.id]) expect((await lot(id)).status).toBe("AVAILABLE");
    await operator.expectData(COMPLETE, { input: { runId } });
    await operator.expectData(SHIP, { input: ship });
    const trail = await admin.expectData<{
      auditTrail: { edges: Array<{ node: { subgraph: string; action: string; actor: { name: string } } }> };
    }>(TRAIL, { filter: { entityType: "Lot", entityId: early.id } });
    expect(trail.auditTrail.edges.map((e) => [e.node.subgraph, e.node.action, e.node.actor.name])).toEqual([
      ["inventory", "lot.shipped", "Oli Operator"],
      ["inventory", "lot.releaseRequirementMet", "Cleo Checker"],
      ["inventory", "lot.quarantined", "Oli Operator"],
      ["inventory", "lot.produced", "Oli Operator"],
    ]);
  });

  it("creates a lot made from held material ON_HOLD, its hold caused by the ancestor's", async () => {
    const raw = await receive("R-INHERIT");
    const { runId } = await startRun(ids.dough!, [{ name: "Mix" }]);
    await operator.expectData(CONSUME, { input: { runId, lotId: raw, quantity: "10" } });
    const hold = await manager.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(PLACE, {
      input: { lotId: raw, reason: "supplier reports contamination", propagate: true },
    });
    const rootId = hold.placeHold.holds[0]!.id;
    const made = await output(runId, "DOUGH-INHERIT");
    // Born held: no waiting for any projection.
    expect(made.status).toBe("ON_HOLD");
    const view = await lot(made.id);
    expect(view).toMatchObject({ status: "ON_HOLD", qualityStatus: "ON_HOLD" });
    expect(view.holds).toEqual([
      expect.objectContaining({ active: true, cause: { id: rootId }, placedByName: "Lotgraph (automatic)" }),
    ]);
    expect(view.holds[0]?.reason).toContain("R-INHERIT");
    await placed.waitUntil("the inherited hold announced", (d) => d.holdPlaced.lot.id === made.id);
    const shipRefused = await operator.expectErrorCode(SHIP, {
      input: { customerId: ids.shop, reference: "SO-INH", lines: [{ lotId: made.id, quantity: "1" }] },
    });
    expect(shipRefused).toBe("LOT_UNAVAILABLE");
    const trail = await admin.expectData<{
      auditTrail: { edges: Array<{ node: { subgraph: string; action: string; actor: { name: string } } }> };
    }>(TRAIL, { filter: { entityId: view.holds[0]!.id } });
    expect(trail.auditTrail.edges.map((e) => [e.node.subgraph, e.node.action, e.node.actor.name])).toEqual([
      ["quality", "hold.placed", "Lotgraph (automatic)"],
    ]);

    // Releasing the root releases the inherited hold with it, live.
    await manager.expectData(RELEASE, {
      input: {
        holdId: rootId,
        reason: "lab retest negative",
        signature: { password: MANAGER_PASSWORD, meaning: "approved" },
      },
    });
    expect(await lot(made.id)).toMatchObject({ status: "AVAILABLE", qualityStatus: "PENDING" });
    await released.waitUntil("the inherited hold released live", (d) => d.holdReleased.lot.id === made.id);
  });

  it("holds descendants the genealogy projection has not seen yet", async () => {
    const raw = await receive("R-PAUSED");
    const { runId } = await startRun(ids.dough!, [{ name: "Mix" }]);
    await operator.expectData(CONSUME, { input: { runId, lotId: raw, quantity: "10" } });
    traceabilityBus.pause();
    try {
      const made = await output(runId, "DOUGH-PAUSED");
      const unseen = await admin.expectData<{ lot: { children: Id[] } }>(
        `query ($id: ID) { lot(id: $id) { children { id } } }`,
        {
          id: raw,
        },
      );
      expect(unseen.lot.children).toEqual([]);
      const held = await manager.expectData<{ placeHold: { affectedLots: Id[] } }>(PLACE, {
        input: { lotId: raw, reason: "recall drill", propagate: true },
      });
      expect(held.placeHold.affectedLots.map((l) => l.id)).toEqual([raw, made.id]);
      expect((await lot(made.id)).status).toBe("ON_HOLD");
    } finally {
      traceabilityBus.resume();
    }
    await eventually(async () => {
      const seen = await admin.expectData<{ lot: { children: Id[] } }>(
        `query ($id: ID) { lot(id: $id) { children { id } } }`,
        {
          id: raw,
        },
      );
      expect(seen.lot.children).toHaveLength(1);
    });
  });

  it("holds every output of a run on HOLD or FAIL, recorded before or after the decision", async () => {
    const { runId } = await startRun(ids.dough!, [{ name: "Mix" }]);
    const before = await output(runId, "DOUGH-BEFORE");
    const decided = await checker.expectData<{
      recordQcDecision: { decision: { id: string; hold: Id }; affectedLots: Id[] };
    }>(DECIDE, { input: { gateId: ids.visual, runId, decision: "HOLD", notes: "dough too wet" } });
    expect(decided.recordQcDecision.affectedLots).toEqual([{ id: before.id }]);
    const rootId = decided.recordQcDecision.decision.hold.id;
    expect((await lot(before.id)).holds).toEqual([
      expect.objectContaining({
        id: rootId,
        active: true,
        cause: null,
        decision: { id: decided.recordQcDecision.decision.id },
      }),
    ]);
    const after = await output(runId, "DOUGH-AFTER");
    expect(after.status).toBe("ON_HOLD");
    expect((await lot(after.id)).holds).toEqual([
      expect.objectContaining({
        active: true,
        cause: { id: rootId },
        decision: { id: decided.recordQcDecision.decision.id },
      }),
    ]);
    await placed.waitUntil("the later output's hold announced", (d) => d.holdPlaced.lot.id === after.id);

    // A FAIL on a run with no output yet: its first output becomes the root.
    const fresh = await startRun(ids.dough!, [{ name: "Mix" }]);
    const failed = await checker.expectData<{
      recordQcDecision: { decision: { hold: Id | null }; affectedLots: Id[] };
    }>(DECIDE, { input: { gateId: ids.visual, runId: fresh.runId, decision: "FAIL" } });
    expect(failed.recordQcDecision.affectedLots).toEqual([]);
    expect(failed.recordQcDecision.decision.hold).toBeNull();
    const first = await output(fresh.runId, "DOUGH-FIRST");
    expect(first.status).toBe("ON_HOLD");
    const firstView = await lot(first.id);
    expect(firstView.holds).toEqual([expect.objectContaining({ active: true, cause: null })]);
  });
});
