import { SUBJECTS, auditTrail } from "@lotgraph/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADVANCE_PHASE,
  CANCEL_WORK_ORDER,
  COMPLETE_RUN,
  CREATE_LINE,
  CREATE_WORK_ORDER,
  LINES,
  RELEASE_WORK_ORDER,
  START_RUN,
  WORK_ORDER,
  WORK_ORDERS,
} from "./documents.ts";
import { basics, createLine, createWorkOrder, type Basics, type WorkOrderShape } from "./fixtures.ts";
import { Plant, events } from "./harness.ts";

interface RunShape {
  id: string;
  status: string;
  endedAt: string | null;
  operatorName: string;
  workOrder: { id: string; status: string };
  currentPhase: { sequence: number; name: string; gateId: string | null } | null;
  phases: Array<{ sequence: number; name: string; startedAt: string | null; endedAt: string | null }>;
}

describe("production: lines and the work-order lifecycle", () => {
  let plant: Plant;
  let b: Basics;

  beforeAll(async () => {
    plant = await Plant.start();
    b = await basics(plant);
  });
  afterAll(async () => {
    await plant?.stop();
  });

  const code = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
    result.errors?.[0]?.extensions?.code;

  it("creates lines (MANAGER), refuses a taken code, and lists them", async () => {
    const created = await plant.data<{ createLine: { line: { id: string; code: string } } }>(
      "production",
      CREATE_LINE,
      { input: { code: "PACK-1", name: "Packing 1" } },
      b.manager,
    );
    const again = await plant.request("production", CREATE_LINE, { input: { code: "PACK-1", name: "Dup" } }, b.manager);
    expect(code(again)).toBe("CONFLICT");
    const lines = await plant.data<{ lines: Array<{ id: string; code: string }> }>("production", LINES, {}, b.viewer);
    expect(lines.lines).toContainEqual({ id: created.createLine.line.id, code: "PACK-1" });
  });

  it("takes a work order from PLANNED through RELEASED and IN_PROGRESS to COMPLETED", async () => {
    const lineId = await createLine(plant, b);
    const workOrder = await createWorkOrder(plant, b, {
      lineId,
      plannedQuantity: "250.5",
      components: [
        { materialId: b.flourId, quantity: "200" },
        { materialId: b.sugarId, quantity: "20" },
      ],
    });
    expect(workOrder).toMatchObject({
      number: expect.stringMatching(/^WO-\d{6}$/),
      status: "PLANNED",
      plannedQuantity: "250.5",
      product: { id: b.breadId },
      line: { id: lineId },
      phases: [
        { sequence: 1, name: "Mix", gateId: null },
        { sequence: 2, name: "Bake", gateId: b.advisoryGateId },
      ],
      runs: [],
    });
    expect(workOrder.components.map((c) => c.material.id).sort()).toEqual([b.flourId, b.sugarId].sort());

    // Not released yet: no run.
    expect(
      code(await plant.request("production", START_RUN, { input: { workOrderId: workOrder.id } }, b.operator)),
    ).toBe("CONFLICT");
    await plant.data("production", RELEASE_WORK_ORDER, { input: { workOrderId: workOrder.id } }, b.manager);
    expect(
      code(await plant.request("production", RELEASE_WORK_ORDER, { input: { workOrderId: workOrder.id } }, b.manager)),
    ).toBe("CONFLICT");

    const started = (
      await plant.data<{ startRun: { run: RunShape } }>(
        "production",
        START_RUN,
        { input: { workOrderId: workOrder.id } },
        b.operator,
      )
    ).startRun.run;
    expect(started).toMatchObject({
      status: "IN_PROGRESS",
      operatorName: "Otto Operator",
      workOrder: { status: "IN_PROGRESS" },
      currentPhase: { sequence: 1, name: "Mix" },
      phases: [
        { sequence: 1, startedAt: expect.any(String), endedAt: null },
        { sequence: 2, startedAt: null, endedAt: null },
      ],
    });
    // One run at a time per work order.
    expect(
      code(await plant.request("production", START_RUN, { input: { workOrderId: workOrder.id } }, b.operator)),
    ).toBe("CONFLICT");

    const advanced = (
      await plant.data<{ advancePhase: { run: RunShape } }>(
        "production",
        ADVANCE_PHASE,
        { input: { runId: started.id } },
        b.operator,
      )
    ).advancePhase.run;
    expect(advanced.currentPhase).toEqual({ sequence: 2, name: "Bake", gateId: b.advisoryGateId });
    expect(advanced.phases[0]?.endedAt).not.toBeNull();
    expect(advanced.phases[1]?.startedAt).not.toBeNull();
    const atLast = await plant.request("production", ADVANCE_PHASE, { input: { runId: started.id } }, b.operator);
    expect(code(atLast)).toBe("CONFLICT");

    const completed = (
      await plant.data<{ completeRun: { run: RunShape } }>(
        "production",
        COMPLETE_RUN,
        { input: { runId: started.id } },
        b.operator,
      )
    ).completeRun.run;
    expect(completed).toMatchObject({ status: "COMPLETED", currentPhase: null, workOrder: { status: "COMPLETED" } });
    expect(completed.endedAt).not.toBeNull();
    expect(completed.phases.every((p) => p.startedAt && p.endedAt)).toBe(true);
    expect(code(await plant.request("production", COMPLETE_RUN, { input: { runId: started.id } }, b.operator))).toBe(
      "CONFLICT",
    );
    expect(code(await plant.request("production", ADVANCE_PHASE, { input: { runId: started.id } }, b.operator))).toBe(
      "CONFLICT",
    );

    const trail = await auditTrail(plant.production.sql, "WorkOrder", workOrder.id);
    expect(trail.map((e) => e.action)).toEqual([
      "workOrder.created",
      "workOrder.released",
      "workOrder.started",
      "workOrder.completed",
    ]);
    const runTrail = await auditTrail(plant.production.sql, "ProductionRun", started.id);
    expect(runTrail.map((e) => e.action)).toEqual(["run.started", "run.phaseAdvanced", "run.completed"]);
    const runEvents = [
      ...(await events(plant.production.sql, SUBJECTS.production.runStarted)),
      ...(await events(plant.production.sql, SUBJECTS.production.runPhaseAdvanced)),
      ...(await events(plant.production.sql, SUBJECTS.production.runCompleted)),
    ].filter((e) => e.runId === started.id);
    expect(runEvents).toEqual([
      { runId: started.id, workOrderId: workOrder.id, lineId, status: "IN_PROGRESS", currentPhase: 1 },
      { runId: started.id, workOrderId: workOrder.id, lineId, status: "IN_PROGRESS", currentPhase: 2 },
      { runId: started.id, workOrderId: workOrder.id, lineId, status: "COMPLETED", currentPhase: null },
    ]);
  });

  it("keeps a work order open for the next shift when completeRun says so", async () => {
    const workOrder = await createWorkOrder(plant, b, { phases: [{ name: "Only" }] });
    await plant.data("production", RELEASE_WORK_ORDER, { input: { workOrderId: workOrder.id } }, b.manager);
    const first = await plant.data<{ startRun: { run: RunShape } }>(
      "production",
      START_RUN,
      { input: { workOrderId: workOrder.id } },
      b.operator,
    );
    const done = await plant.data<{ completeRun: { run: RunShape } }>(
      "production",
      COMPLETE_RUN,
      { input: { runId: first.startRun.run.id, closeWorkOrder: false } },
      b.operator,
    );
    expect(done.completeRun.run.workOrder.status).toBe("IN_PROGRESS");
    await plant.data("production", START_RUN, { input: { workOrderId: workOrder.id } }, b.operator);
    const read = await plant.data<{ workOrder: WorkOrderShape }>(
      "production",
      WORK_ORDER,
      { id: workOrder.id },
      b.viewer,
    );
    expect(read.workOrder.runs.map((r) => r.status)).toEqual(["COMPLETED", "IN_PROGRESS"]);
  });

  it("cancels only what has not started, with a reason", async () => {
    const workOrder = await createWorkOrder(plant, b);
    const cancelled = await plant.data<{ cancelWorkOrder: { workOrder: { status: string } } }>(
      "production",
      CANCEL_WORK_ORDER,
      { input: { workOrderId: workOrder.id, reason: "customer order withdrawn" } },
      b.manager,
    );
    expect(cancelled.cancelWorkOrder.workOrder.status).toBe("CANCELLED");
    expect(
      code(await plant.request("production", RELEASE_WORK_ORDER, { input: { workOrderId: workOrder.id } }, b.manager)),
    ).toBe("CONFLICT");
    const trail = await auditTrail(plant.production.sql, "WorkOrder", workOrder.id);
    expect(trail.at(-1)).toMatchObject({ action: "workOrder.cancelled", reason: "customer order withdrawn" });
  });

  it("refuses bad work orders with BAD_USER_INPUT naming the field", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ productId: "00000000-0000-4000-8000-000000000000" }, "productId"],
      [{ plannedQuantity: "0" }, "plannedQuantity"],
      [{ phases: [] }, "phases"],
      [
        { components: [{ materialId: "00000000-0000-4000-8000-000000000000", quantity: "1" }] },
        "components.0.materialId",
      ],
      [{ components: [{ materialId: b.flourId, quantity: "-1" }] }, "components.0.quantity"],
      [{ lineId: "00000000-0000-4000-8000-000000000000" }, "lineId"],
      // A gate that does not exist could never stop a run: a typo must not switch a check off.
      [
        { phases: [{ name: "Mix" }, { name: "Detect", gateId: "00000000-0000-4000-8000-000000000000" }] },
        "phases.1.gateId",
      ],
      [{ phases: [{ name: "Detect", gateId: "metal-detector" }] }, "phases.0.gateId"],
    ];
    for (const [override, field] of cases) {
      const result = await plant.request(
        "production",
        CREATE_WORK_ORDER,
        { input: { productId: b.breadId, plannedQuantity: "10", phases: [{ name: "Mix" }], ...override } },
        b.manager,
      );
      expect(code(result), field).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(result.errors?.[0]?.extensions), field).toContain(field);
    }
  });

  it("pages work orders newest first and filters by status and line", async () => {
    const lineId = await createLine(plant, b);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createWorkOrder(plant, b, { lineId })).id);
    await plant.data("production", RELEASE_WORK_ORDER, { input: { workOrderId: ids[0] } }, b.manager);
    type Page = {
      workOrders: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{ node: { id: string; number: string; status: string } }>;
      };
    };
    const first = await plant.data<Page>("production", WORK_ORDERS, { filter: { lineId }, first: 2 }, b.viewer);
    expect(first.workOrders.totalCount).toBe(3);
    expect(first.workOrders.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
    const second = await plant.data<Page>(
      "production",
      WORK_ORDERS,
      { filter: { lineId }, first: 2, after: first.workOrders.pageInfo.endCursor },
      b.viewer,
    );
    expect(second.workOrders.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    expect(second.workOrders.pageInfo.hasNextPage).toBe(false);
    const released = await plant.data<Page>(
      "production",
      WORK_ORDERS,
      { filter: { lineId, status: ["RELEASED"] } },
      b.viewer,
    );
    expect(released.workOrders.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    const numbers = first.workOrders.edges.map((e) => Number(e.node.number.slice(3)));
    expect(numbers[0]).toBe((numbers[1] ?? 0) + 1);
  });
});
