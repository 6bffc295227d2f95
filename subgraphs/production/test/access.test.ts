import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADVANCE_PHASE,
  CANCEL_WORK_ORDER,
  COMPLETE_RUN,
  CONSUME_LOT,
  CREATE_LINE,
  CREATE_WORK_ORDER,
  INSTALL,
  RECORD_OUTPUT,
  RELEASE_WORK_ORDER,
  REMOVE,
  RUN,
  START_RUN,
  WORK_ORDERS,
} from "./documents.ts";
import { basics, createWorkOrder, receive, runningWorkOrder, unique, type Basics } from "./fixtures.ts";
import { INVENTORY_TABLES, PRODUCTION_TABLES, Plant, footprint } from "./harness.ts";

describe("production: who may do what", () => {
  let plant: Plant;
  let b: Basics;
  let mutations: Array<{ name: string; query: string; input: Record<string, unknown>; role: "MANAGER" | "OPERATOR" }>;

  beforeAll(async () => {
    plant = await Plant.start();
    b = await basics(plant);
    const planned = await createWorkOrder(plant, b);
    const { runId } = await runningWorkOrder(plant, b);
    const flour = await receive(plant, b, b.flourId, "10");
    const serial = "00000000-0000-4000-8000-000000000001";
    mutations = [
      { name: "createLine", query: CREATE_LINE, input: { code: unique("L"), name: "L" }, role: "MANAGER" },
      {
        name: "createWorkOrder",
        query: CREATE_WORK_ORDER,
        input: { productId: b.breadId, plannedQuantity: "1", phases: [{ name: "Mix" }] },
        role: "MANAGER",
      },
      { name: "releaseWorkOrder", query: RELEASE_WORK_ORDER, input: { workOrderId: planned.id }, role: "MANAGER" },
      {
        name: "cancelWorkOrder",
        query: CANCEL_WORK_ORDER,
        input: { workOrderId: planned.id, reason: "test" },
        role: "MANAGER",
      },
      { name: "startRun", query: START_RUN, input: { workOrderId: planned.id }, role: "OPERATOR" },
      { name: "consumeLot", query: CONSUME_LOT, input: { runId, lotId: flour, quantity: "1" }, role: "OPERATOR" },
      {
        name: "recordOutput",
        query: RECORD_OUTPUT,
        input: { runId, quantity: "1", code: unique("OUT"), locationId: b.siteId },
        role: "OPERATOR",
      },
      { name: "advancePhase", query: ADVANCE_PHASE, input: { runId }, role: "OPERATOR" },
      { name: "completeRun", query: COMPLETE_RUN, input: { runId }, role: "OPERATOR" },
      {
        name: "installComponent",
        query: INSTALL,
        input: { parentSerialId: serial, componentLotId: flour, quantity: "1" },
        role: "OPERATOR",
      },
      { name: "removeComponent", query: REMOVE, input: { installationId: serial, reason: "test" }, role: "OPERATOR" },
    ];
  });
  afterAll(async () => {
    await plant?.stop();
  });

  const both = async () => ({
    production: await footprint(plant.production.sql, PRODUCTION_TABLES),
    inventory: await footprint(plant.inventory.sql, INVENTORY_TABLES),
  });

  it("refuses every mutation without a token (UNAUTHENTICATED) and to a VIEWER (FORBIDDEN), changing nothing", async () => {
    const before = await both();
    const viewer = b.viewer;
    const operator = b.operator;
    for (const { name, query, input, role } of mutations) {
      const anonymous = await plant.request("production", query, { input }, null);
      expect(anonymous.errors?.[0]?.extensions?.code, `${name} without a token`).toBe("UNAUTHENTICATED");
      const forbidden = await plant.request("production", query, { input }, viewer);
      expect(forbidden.errors?.[0]?.extensions?.code, `${name} as VIEWER`).toBe("FORBIDDEN");
      if (role === "MANAGER") {
        const asOperator = await plant.request("production", query, { input }, operator);
        expect(asOperator.errors?.[0]?.extensions?.code, `${name} as OPERATOR`).toBe("FORBIDDEN");
      }
    }
    expect(await both()).toEqual(before);
  });

  it("lets any signed-in person read, and nobody else", async () => {
    const anonymous = await plant.request("production", WORK_ORDERS, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const viewer = await plant.request("production", RUN, { id: "00000000-0000-4000-8000-000000000000" }, b.viewer);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data).toEqual({ run: null });
  });
});
