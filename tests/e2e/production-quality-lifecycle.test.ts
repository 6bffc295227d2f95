import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefusedWithoutChange } from "../support/footprint.ts";
import { TestClient } from "../support/graphql-client.ts";
import { TEST_MODE, startTestLotgraph } from "../support/lotgraph.ts";
import { create, hireCrew } from "../support/plant.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const UPDATE_LINE = `mutation ($input: UpdateLineInput!) { updateLine(input: $input) { line { id code name active } } }`;
const DEACTIVATE_LINE = `mutation ($input: DeactivateLineInput!) {
  deactivateLine(input: $input) { line { id active deactivatedAt } }
}`;
const UPDATE_GATE = `mutation ($input: UpdateQcGateInput!) {
  updateQcGate(input: $input) { gate { id name blocking active characteristics { name lower upper unit } } }
}`;
const DEACTIVATE_GATE = `mutation ($input: DeactivateQcGateInput!) {
  deactivateQcGate(input: $input) { gate { id active deactivatedAt blocking } }
}`;
const CREATE_WO = `mutation ($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { workOrder { id externalRef } } }`;
const RELEASE = `mutation ($input: ReleaseWorkOrderInput!) { releaseWorkOrder(input: $input) { workOrder { id } } }`;
const START = `mutation ($input: StartRunInput!) { startRun(input: $input) { run { id } } }`;
const ADVANCE = `mutation ($input: AdvancePhaseInput!) { advancePhase(input: $input) { run { id } } }`;
const COMPLETE = `mutation ($input: CompleteRunInput!) { completeRun(input: $input) { run { id status endedAt } } }`;
const CANCEL_RUN = `mutation ($input: CancelRunInput!) { cancelRun(input: $input) { run { id status } } }`;
const OUTPUT = `mutation ($input: RecordOutputInput!) { recordOutput(input: $input) { output { lot { id } } } }`;
const DECIDE = `mutation ($input: RecordQcDecisionInput!) {
  recordQcDecision(input: $input) { decision { id measurements { characteristic value lower upper } } }
}`;
const LINE_HOLD = `mutation ($input: PlaceLineHoldInput!) { placeLineHold(input: $input) { holds { id } } }`;
const RUNS = `query ($filter: RunFilter, $first: Int, $after: String) {
  runs(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status endedAt workOrder { id } } }
  }
}`;

const FE = "Fe 2.0 mm";

interface RunsPage {
  runs: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { id: string; status: string; endedAt: string | null } }>;
  };
}

/**
 * Issue 20, production's and quality's part: lines and QC gates have a lifecycle (update,
 * deactivate) that never lets material past a blocking gate and never loses history; work orders
 * carry the ERP's externalRef; every list answers updatedSince; runs(filter) feeds an ERP ledger.
 */
describe(`line and gate lifecycle, externalRef, updatedSince, runs (${TEST_MODE} mode)`, () => {
  let lotgraph: Lotgraph;
  let admin: TestClient;
  let manager: TestClient;
  let operator: TestClient;
  let viewer: TestClient;
  const ids: Record<string, string> = {};

  const refused = (client: TestClient, query: string, input: Record<string, unknown>) =>
    expectRefusedWithoutChange(lotgraph.databases, () => client.request(query, { input }));
  const codeOf = (answer: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
    answer.errors?.[0]?.extensions?.code;
  const messageOf = (answer: { errors?: ReadonlyArray<{ message: string }> }) => answer.errors?.[0]?.message ?? "";

  const gate = (name: string, extra: Record<string, unknown> = {}) =>
    create(
      manager,
      "createQcGate",
      {
        name,
        blocking: true,
        criticalControlPoint: true,
        characteristics: [{ name: FE, lower: 0, upper: 2, unit: "mm" }],
        ...extra,
      },
      "gate",
    );
  /** A released work order of bread; with a gate, phase 1 ends at it and phase 2 follows. */
  const releasedWorkOrder = async (lineId: string | null, gateId: string | null, externalRef?: string) => {
    const workOrderId = await create(
      manager,
      "createWorkOrder",
      {
        productId: ids.bread,
        plannedQuantity: "10",
        phases: gateId ? [{ name: "Make", gateId }, { name: "Pack" }] : [{ name: "Make" }],
        ...(lineId ? { lineId } : {}),
        ...(externalRef ? { externalRef } : {}),
      },
      "workOrder",
    );
    await manager.expectData(RELEASE, { input: { workOrderId } });
    return workOrderId;
  };
  const startedRun = async (lineId: string | null, gateId: string | null) => {
    const workOrderId = await releasedWorkOrder(lineId, gateId);
    return create(operator, "startRun", { workOrderId }, "run");
  };
  const pass = (gateId: string, target: { runId?: string; lotId?: string }, value = 1) =>
    manager.request<{ recordQcDecision: { decision: { id: string } } }>(DECIDE, {
      input: { gateId, ...target, decision: "PASS", measurements: [{ characteristic: FE, value }] },
    });

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    const anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
    ({ manager, operator } = await hireCrew(anonymous, admin, "lifecycle"));
    await create(
      admin,
      "createUser",
      { email: "viewer@lifecycle.test", name: "Vi Viewer", roles: ["VIEWER"], password: "viewer-password-lc" },
      "user",
    );
    viewer = anonymous.as(await anonymous.login("viewer@lifecycle.test", "viewer-password-lc"));
    ids.site = await create(admin, "createLocation", { code: "LC-SITE", name: "Plant", kind: "SITE" }, "location");
    ids.mill = await create(admin, "createParty", { code: "LC-MILL", name: "Mill", kind: "SUPPLIER" }, "party");
    const material = (sku: string, kind: string) =>
      create(admin, "createMaterial", { sku, name: sku, uom: "kg", kind, tracking: "LOT" }, "material");
    ids.flour = await material("LC-FLOUR", "RAW");
    ids.bread = await material("LC-BREAD", "FINISHED");
    ids.flourLot = await create(
      operator,
      "receiveLot",
      { materialId: ids.flour, quantity: "100", locationId: ids.site, code: "LC-FLOUR-1", supplierId: ids.mill },
      "lot",
    );
  }, 120_000);
  afterAll(async () => lotgraph?.cleanup());

  it("updates a line, deactivates it, refuses new work on it and keeps its history readable", async () => {
    ids.line = await create(manager, "createLine", { code: "LC-L1", name: "Line 1" }, "line");
    await create(manager, "createLine", { code: "LC-L2", name: "Line 2" }, "line");
    const renamed = await manager.expectData<{ updateLine: { line: { code: string; name: string } } }>(UPDATE_LINE, {
      input: { lineId: ids.line, name: "Oven line" },
    });
    expect(renamed.updateLine.line).toMatchObject({ code: "LC-L1", name: "Oven line" });
    const taken = await refused(manager, UPDATE_LINE, { lineId: ids.line, code: "LC-L2" });
    expect([codeOf(taken), messageOf(taken)]).toEqual(["CONFLICT", "a line with code LC-L2 already exists"]);
    expect(codeOf(await refused(manager, UPDATE_LINE, { lineId: ids.line }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await refused(viewer, UPDATE_LINE, { lineId: ids.line, name: "x" }))).toBe("FORBIDDEN");
    expect(codeOf(await refused(viewer, DEACTIVATE_LINE, { lineId: ids.line }))).toBe("FORBIDDEN");

    // Work planned and started before the deactivation.
    const planned = await create(
      manager,
      "createWorkOrder",
      { productId: ids.bread, plannedQuantity: "5", phases: [{ name: "Make" }], lineId: ids.line },
      "workOrder",
    );
    const released = await releasedWorkOrder(ids.line, null);
    const running = await startedRun(ids.line, null);

    const deactivated = await manager.expectData<{
      deactivateLine: { line: { active: boolean; deactivatedAt: string } };
    }>(DEACTIVATE_LINE, { input: { lineId: ids.line } });
    expect(deactivated.deactivateLine.line.active).toBe(false);
    expect(Date.parse(deactivated.deactivateLine.line.deactivatedAt)).not.toBeNaN();

    // Every write that would give the line new work refuses it, naming it, and changes nothing.
    const onLine = { productId: ids.bread, plannedQuantity: "1", phases: [{ name: "Make" }], lineId: ids.line };
    const createRefused = await refused(manager, CREATE_WO, onLine);
    expect([codeOf(createRefused), messageOf(createRefused)]).toEqual([
      "BAD_USER_INPUT",
      "line LC-L1 is deactivated: no new work can use it",
    ]);
    const releaseRefused = await refused(manager, RELEASE, { workOrderId: planned });
    expect([codeOf(releaseRefused), messageOf(releaseRefused)]).toEqual([
      "CONFLICT",
      "line LC-L1 is deactivated: no new work can use it",
    ]);
    expect(codeOf(await refused(operator, START, { workOrderId: released }))).toBe("CONFLICT");
    expect(codeOf(await refused(manager, UPDATE_LINE, { lineId: ids.line, name: "Again" }))).toBe("CONFLICT");
    expect(codeOf(await refused(manager, DEACTIVATE_LINE, { lineId: ids.line }))).toBe("CONFLICT");

    // The run already on the line may finish: deactivating strands nothing.
    const done = await operator.expectData<{ completeRun: { run: { status: string } } }>(COMPLETE, {
      input: { runId: running },
    });
    expect(done.completeRun.run.status).toBe("COMPLETED");

    // History: by code, in lists, and on the work orders that ran there.
    const read = await viewer.expectData<{
      line: { id: string; name: string; active: boolean };
      all: Array<{ code: string }>;
      active: Array<{ code: string }>;
      retired: Array<{ code: string }>;
      workOrder: { line: { code: string; active: boolean } };
    }>(
      `query ($wo: ID) {
        line(code: "LC-L1") { id name active }
        all: lines { code } active: lines(active: true) { code } retired: lines(active: false) { code }
        workOrder(id: $wo) { line { code active } }
      }`,
      { wo: released },
    );
    expect(read.line).toEqual({ id: ids.line, name: "Oven line", active: false });
    expect(read.all.map((l) => l.code)).toEqual(expect.arrayContaining(["LC-L1", "LC-L2"]));
    expect(read.active.map((l) => l.code)).not.toContain("LC-L1");
    expect(read.retired.map((l) => l.code)).toContain("LC-L1");
    expect(read.workOrder.line).toEqual({ code: "LC-L1", active: false });

    // Audit entries and events, in the same transactions as the changes.
    const audit = await lotgraph.databases.production.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq",
      [ids.line],
    );
    expect(audit.map((row) => row.action)).toEqual(["line.created", "line.updated", "line.deactivated"]);
    const events = await lotgraph.databases.production.query<{ subject: string }>(
      "SELECT subject FROM outbox WHERE entity_id = $1 ORDER BY seq",
      [ids.line],
    );
    expect(events.map((row) => row.subject)).toEqual([
      "lotgraph.production.line.created",
      "lotgraph.production.line.updated",
      "lotgraph.production.line.deactivated",
    ]);
  });

  it("never loosens a gate under a run in progress; tightening applies at once; decisions keep their limits", async () => {
    const detector = await gate("Detector A");
    const runId = await startedRun(null, detector);

    for (const [change, loosening] of [
      [{ blocking: false }, "blocking turned off"],
      [{ criticalControlPoint: false }, "criticalControlPoint turned off"],
      [{ characteristics: [{ name: FE, lower: 0, upper: 3, unit: "mm" }] }, `characteristic ${FE} widened`],
      [{ characteristics: [] }, `characteristic ${FE} removed`],
    ] as const) {
      const answer = await refused(manager, UPDATE_GATE, { gateId: detector, ...change });
      expect(codeOf(answer), JSON.stringify(change)).toBe("CONFLICT");
      expect(messageOf(answer)).toContain(loosening);
      expect(messageOf(answer)).toContain("1 run(s) in progress");
    }
    expect(codeOf(await refused(viewer, UPDATE_GATE, { gateId: detector, name: "x" }))).toBe("FORBIDDEN");
    expect(codeOf(await refused(manager, UPDATE_GATE, { gateId: detector }))).toBe("BAD_USER_INPUT");
    expect(
      codeOf(
        await refused(manager, UPDATE_GATE, {
          gateId: detector,
          characteristics: [{ name: FE, lower: 3, upper: 1, unit: "mm" }],
        }),
      ),
    ).toBe("BAD_USER_INPUT");
    // Still blocking: every refused attempt left the gate as it was.
    expect(codeOf(await operator.request(ADVANCE, { input: { runId } }))).toBe("GATE_BLOCKED");

    // Tightening and renaming are accepted while the run is in progress, and judge it at once.
    const tightened = await manager.expectData<{
      updateQcGate: { gate: { name: string; blocking: boolean; characteristics: Array<{ upper: number }> } };
    }>(UPDATE_GATE, {
      input: {
        gateId: detector,
        name: "Detector A (tight)",
        characteristics: [{ name: FE, lower: 0, upper: 1.5, unit: "mm" }],
      },
    });
    expect(tightened.updateQcGate.gate).toMatchObject({ name: "Detector A (tight)", blocking: true });
    expect(codeOf(await pass(detector, { runId }, 1.8))).toBe("BAD_USER_INPUT");
    expect(codeOf(await operator.request(ADVANCE, { input: { runId } }))).toBe("GATE_BLOCKED");
    const passed = await pass(detector, { runId }, 1.2);
    expect(passed.errors).toBeUndefined();
    await operator.expectData(ADVANCE, { input: { runId } });
    await operator.expectData(COMPLETE, { input: { runId } });

    // With no run in progress the gate may be loosened; the past decision keeps its limits.
    await manager.expectData(UPDATE_GATE, {
      input: { gateId: detector, characteristics: [{ name: FE, lower: 0, upper: 2, unit: "mm" }] },
    });
    const decision = await viewer.expectData<{
      qcDecision: { measurements: Array<{ value: number; lower: number; upper: number }> };
    }>(`query ($id: ID!) { qcDecision(id: $id) { measurements { value lower upper } } }`, {
      id: passed.data!.recordQcDecision.decision.id,
    });
    expect(decision.qcDecision.measurements).toEqual([{ value: 1.2, lower: 0, upper: 1.5 }]);
    const audit = await lotgraph.databases.quality.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'qcGate.%' ORDER BY seq",
      [detector],
    );
    expect(audit.map((row) => row.action)).toEqual(["qcGate.created", "qcGate.updated", "qcGate.updated"]);
  });

  it("keeps outputs made under a blocking gate waiting after the gate is made non-blocking", async () => {
    const detector = await gate("Detector B");
    const runId = await startedRun(null, detector);
    const output = await operator.expectData<{ recordOutput: { output: { lot: { id: string } } } }>(OUTPUT, {
      input: { runId, quantity: "5", code: "LC-BREAD-B1", locationId: ids.site },
    });
    const lotId = output.recordOutput.output.lot.id;
    await manager.expectData(CANCEL_RUN, { input: { runId, reason: "oven fault" } });
    // No run in progress through it any more: turning blocking off is accepted...
    const off = await manager.expectData<{ updateQcGate: { gate: { blocking: boolean } } }>(UPDATE_GATE, {
      input: { gateId: detector, blocking: false },
    });
    expect(off.updateQcGate.gate.blocking).toBe(false);
    // ...but what was made while it blocked still waits for its PASS.
    const lot = await viewer.expectData<{ lot: { status: string } }>(`query ($id: ID) { lot(id: $id) { status } }`, {
      id: lotId,
    });
    expect(lot.lot.status).toBe("QUARANTINE");
  });

  it("keeps a deactivated gate blocking the runs planned through it, and lets it decide only them", async () => {
    ids.retiredGate = await gate("Detector C");
    const runId = await startedRun(null, ids.retiredGate);
    expect(codeOf(await refused(viewer, DEACTIVATE_GATE, { gateId: ids.retiredGate }))).toBe("FORBIDDEN");
    const retired = await manager.expectData<{ deactivateQcGate: { gate: { active: boolean; blocking: boolean } } }>(
      DEACTIVATE_GATE,
      { input: { gateId: ids.retiredGate } },
    );
    expect(retired.deactivateQcGate.gate).toMatchObject({ active: false, blocking: true });

    // Deactivating unblocks nothing.
    expect(codeOf(await operator.request(ADVANCE, { input: { runId } }))).toBe("GATE_BLOCKED");
    expect(codeOf(await operator.request(COMPLETE, { input: { runId } }))).toBe("GATE_BLOCKED");

    // New use is refused, naming the gate; nothing changes.
    const plan = { productId: ids.bread, plannedQuantity: "1", phases: [{ name: "Make", gateId: ids.retiredGate }] };
    const planRefused = await refused(manager, CREATE_WO, plan);
    expect([codeOf(planRefused), messageOf(planRefused)]).toEqual([
      "BAD_USER_INPUT",
      "quality gate Detector C is deactivated: plan the phase on an active gate",
    ]);
    const unrelated = await refused(manager, DECIDE, {
      gateId: ids.retiredGate,
      lotId: ids.flourLot,
      decision: "PASS",
      measurements: [{ characteristic: FE, value: 1 }],
    });
    expect(codeOf(unrelated)).toBe("CONFLICT");
    expect(messageOf(unrelated)).toContain("gate Detector C is deactivated");
    const otherRun = await startedRun(null, null);
    expect(codeOf(await refused(manager, DECIDE, { gateId: ids.retiredGate, runId: otherRun, decision: "HOLD" }))).toBe(
      "CONFLICT",
    );
    expect(codeOf(await refused(manager, UPDATE_GATE, { gateId: ids.retiredGate, blocking: false }))).toBe("CONFLICT");
    expect(codeOf(await refused(manager, UPDATE_GATE, { gateId: ids.retiredGate, name: "x" }))).toBe("CONFLICT");
    expect(codeOf(await refused(manager, DEACTIVATE_GATE, { gateId: ids.retiredGate }))).toBe("CONFLICT");

    // The run planned through it still gets its PASS there, and only then passes.
    expect((await pass(ids.retiredGate, { runId })).errors).toBeUndefined();
    await operator.expectData(ADVANCE, { input: { runId } });
    await operator.expectData(COMPLETE, { input: { runId } });

    // Readable as history.
    const read = await viewer.expectData<{
      qcGate: { active: boolean; deactivatedAt: string | null; blocking: boolean };
      retired: Array<{ id: string }>;
      active: Array<{ id: string }>;
    }>(
      `query ($id: ID!) {
        qcGate(id: $id) { active deactivatedAt blocking }
        retired: qcGates(active: false) { id } active: qcGates(active: true) { id }
      }`,
      { id: ids.retiredGate },
    );
    expect(read.qcGate).toMatchObject({ active: false, blocking: true });
    expect(read.qcGate.deactivatedAt).not.toBeNull();
    expect(read.retired.map((g) => g.id)).toContain(ids.retiredGate);
    expect(read.active.map((g) => g.id)).not.toContain(ids.retiredGate);
    const events = await lotgraph.databases.quality.query<{ subject: string }>(
      "SELECT subject FROM outbox WHERE entity_id = $1 ORDER BY seq",
      [ids.retiredGate],
    );
    expect(events.map((row) => row.subject)).toEqual([
      "lotgraph.quality.gate.created",
      "lotgraph.quality.gate.deactivated",
    ]);
  });

  it("still accepts a line hold on a deactivated line and gate: containment is never refused", async () => {
    const answer = await manager.expectData<{ placeLineHold: { holds: unknown[] } }>(LINE_HOLD, {
      input: { lineId: ids.line, gateId: ids.retiredGate, reason: "retro-check after the line was retired" },
    });
    expect(answer.placeLineHold.holds).toEqual([]);
  });

  it("sets an externalRef once, finds the work order by it, and refuses it twice", async () => {
    const workOrderId = await releasedWorkOrder(null, null, "SAP-4711");
    const duplicate = await refused(manager, CREATE_WO, {
      productId: ids.bread,
      plannedQuantity: "1",
      phases: [{ name: "Make" }],
      externalRef: "SAP-4711",
    });
    expect(codeOf(duplicate)).toBe("CONFLICT");
    expect(messageOf(duplicate)).toMatch(/^externalRef SAP-4711 is already used by work order WO-\d{6}$/);
    // The same idempotency key with the same input is a replay, not a duplicate.
    const input = {
      productId: ids.bread,
      plannedQuantity: "1",
      phases: [{ name: "Make" }],
      externalRef: "SAP-4712",
      idempotencyKey: "lc-4712",
    };
    const first = await manager.expectData<{ createWorkOrder: { workOrder: { id: string } } }>(CREATE_WO, { input });
    const replay = await manager.expectData<{ createWorkOrder: { workOrder: { id: string } } }>(CREATE_WO, { input });
    expect(replay.createWorkOrder.workOrder.id).toBe(first.createWorkOrder.workOrder.id);

    const found = await viewer.expectData<{
      byRef: { id: string; externalRef: string };
      none: null;
      list: { totalCount: number; edges: Array<{ node: { id: string } }> };
    }>(
      `{ byRef: workOrder(externalRef: "SAP-4711") { id externalRef } none: workOrder(externalRef: "SAP-0000") { id }
         list: workOrders(filter: { externalRef: "SAP-4711" }) { totalCount edges { node { id } } } }`,
    );
    expect(found.byRef).toEqual({ id: workOrderId, externalRef: "SAP-4711" });
    expect(found.none).toBeNull();
    expect(found.list).toEqual({ totalCount: 1, edges: [{ node: { id: workOrderId } }] });
    expect(await viewer.expectErrorCode(`{ workOrder { id } }`)).toBe("BAD_USER_INPUT");
    expect(await viewer.expectErrorCode(`{ workOrder(id: "${workOrderId}", externalRef: "SAP-4711") { id } }`)).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("answers updatedSince on every production and quality list", async () => {
    const lineId = await create(manager, "createLine", { code: "LC-L3", name: "Line 3" }, "line");
    const gateId = await gate("Detector D", { blocking: false, criticalControlPoint: false });
    const workOrderId = await create(
      manager,
      "createWorkOrder",
      { productId: ids.bread, plannedQuantity: "1", phases: [{ name: "Make" }], lineId },
      "workOrder",
    );
    const since = await serverNow();
    await manager.expectData(UPDATE_LINE, { input: { lineId, name: "Line 3 renamed" } });
    await manager.expectData(UPDATE_GATE, { input: { gateId, name: "Detector D renamed" } });
    await manager.expectData(RELEASE, { input: { workOrderId } });
    const runId = await create(operator, "startRun", { workOrderId }, "run");
    const decisionId = (await pass(gateId, { runId })).data!.recordQcDecision.decision.id;
    const holdId = (
      await manager.expectData<{ placeHold: { holds: Array<{ id: string }> } }>(
        `mutation ($input: PlaceHoldInput!) { placeHold(input: $input) { holds { id } } }`,
        { input: { lotId: ids.flourLot, reason: "smell" } },
      )
    ).placeHold.holds[0]!.id;
    const ncrId = await create(
      operator,
      "openNonConformance",
      { holdId, description: "smells off", owner: "QA" },
      "nonConformance",
    );

    const changed = await viewer.expectData<{
      lines: Array<{ id: string }>;
      qcGates: Array<{ id: string }>;
      workOrders: { edges: Array<{ node: { id: string } }> };
      runs: { edges: Array<{ node: { id: string } }> };
      qcDecisions: { edges: Array<{ node: { id: string } }> };
      holds: { edges: Array<{ node: { id: string } }> };
      nonConformances: { edges: Array<{ node: { id: string } }> };
      supplierHolds: { totalCount: number };
    }>(
      `query ($since: DateTime) {
        lines(updatedSince: $since) { id }
        qcGates(updatedSince: $since) { id }
        workOrders(filter: { updatedSince: $since }) { edges { node { id } } }
        runs(filter: { updatedSince: $since }) { edges { node { id } } }
        qcDecisions(updatedSince: $since) { edges { node { id } } }
        holds(updatedSince: $since) { edges { node { id } } }
        nonConformances(updatedSince: $since) { edges { node { id } } }
        supplierHolds(updatedSince: $since, activeOnly: false) { totalCount }
      }`,
      { since },
    );
    const nodes = (connection: { edges: Array<{ node: { id: string } }> }) => connection.edges.map((e) => e.node.id);
    expect(changed.lines.map((l) => l.id)).toEqual([lineId]);
    expect(changed.qcGates.map((g) => g.id)).toEqual([gateId]);
    expect(nodes(changed.workOrders)).toEqual([workOrderId]);
    expect(nodes(changed.runs)).toEqual([runId]);
    expect(nodes(changed.qcDecisions)).toEqual([decisionId]);
    expect(nodes(changed.holds)).toEqual([holdId]);
    expect(nodes(changed.nonConformances)).toEqual([ncrId]);
    expect(changed.supplierHolds.totalCount).toBe(0);

    // A consumption changes its run: a reader of runs(updatedSince) sees the run again.
    const afterStart = await serverNow();
    expect(
      nodes(
        (
          await viewer.expectData<{ runs: { edges: Array<{ node: { id: string } }> } }>(RUNS, {
            filter: { updatedSince: afterStart },
          })
        ).runs,
      ),
    ).toEqual([]);
    await manager.expectData(`mutation ($input: ReleaseHoldInput!) { releaseHold(input: $input) { hold { id } } }`, {
      input: { holdId, reason: "fine", signature: { password: "manager-password-lifecycle", meaning: "approved" } },
    });
    await operator.expectData(
      `mutation ($input: ConsumeLotInput!) { consumeLot(input: $input) { consumption { id } } }`,
      {
        input: { runId, lotId: ids.flourLot, quantity: "1" },
      },
    );
    const touched = await viewer.expectData<RunsPage>(RUNS, { filter: { updatedSince: afterStart } });
    expect(touched.runs.edges.map((e) => e.node.id)).toEqual([runId]);
  });

  it("lists runs for an ERP ledger: completedSince in end order, by line and status, page by page", async () => {
    const since = await serverNow();
    const lineId = await create(manager, "createLine", { code: "LC-L4", name: "Line 4" }, "line");
    const ended: string[] = [];
    for (let i = 0; i < 3; i++) {
      const runId = await startedRun(lineId, null);
      await operator.expectData(COMPLETE, { input: { runId } });
      ended.push(runId);
    }
    const cancelled = await startedRun(lineId, null);
    await manager.expectData(CANCEL_RUN, { input: { runId: cancelled, reason: "no dough" } });
    ended.push(cancelled);
    const inProgress = await startedRun(lineId, null);
    const elsewhere = await startedRun(null, null);
    await operator.expectData(COMPLETE, { input: { runId: elsewhere } });

    // Two at a time, following endCursor, in the order they ended.
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: RunsPage = await viewer.expectData<RunsPage>(RUNS, {
        filter: { completedSince: since, lineId },
        first: 2,
        after,
      });
      expect(page.runs.totalCount).toBe(4);
      seen.push(...page.runs.edges.map((e) => e.node.id));
      after = page.runs.pageInfo.hasNextPage ? page.runs.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(seen).toEqual(ended);
    expect(pages).toBe(2);

    const completedOnly = await viewer.expectData<RunsPage>(RUNS, {
      filter: { completedSince: since, lineId, status: "COMPLETED" },
    });
    expect(completedOnly.runs.edges.map((e) => e.node.id)).toEqual(ended.slice(0, 3));
    const byStart = await viewer.expectData<RunsPage>(RUNS, { filter: { lineId } });
    expect(byStart.runs.edges.map((e) => e.node.id)).toEqual([...ended, inProgress]);
    const running = await viewer.expectData<RunsPage>(RUNS, { filter: { lineId, status: "IN_PROGRESS" } });
    expect(running.runs.edges.map((e) => e.node.id)).toEqual([inProgress]);

    // Incremental: the last cursor, kept by the ERP, yields exactly what ended after it.
    const last = await viewer.expectData<RunsPage>(RUNS, { filter: { completedSince: since, lineId } });
    const cursor = last.runs.pageInfo.endCursor;
    await operator.expectData(COMPLETE, { input: { runId: inProgress } });
    const next = await viewer.expectData<RunsPage>(RUNS, { filter: { completedSince: since, lineId }, after: cursor });
    expect(next.runs.edges.map((e) => e.node.id)).toEqual([inProgress]);

    // A cursor of the other ordering, or none of ours, is the caller's mistake.
    expect(await viewer.expectErrorCode(RUNS, { filter: { lineId }, after: cursor })).toBe("BAD_USER_INPUT");
    expect(await viewer.expectErrorCode(RUNS, { after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
    expect(await new TestClient(lotgraph.gatewayUrl).expectErrorCode(RUNS)).toBe("UNAUTHENTICATED");
    const unknownLine = await viewer.expectData<RunsPage>(RUNS, { filter: { lineId: "not-a-line" } });
    expect(unknownLine.runs.totalCount).toBe(0);
  });

  /** The database clock, so `updatedSince` is compared with what the services stamp. */
  async function serverNow(): Promise<string> {
    // Apart by a few milliseconds on both sides: timestamps are stored to the millisecond.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [row] = await lotgraph.databases.production.query<{ now: Date | string }>("SELECT now() AS now");
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Date(row!.now).toISOString();
  }
});
