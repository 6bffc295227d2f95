import {
  CREATE_LINE,
  CREATE_LOCATION,
  CREATE_MATERIAL,
  CREATE_WORK_ORDER,
  RECEIVE_LOT,
  RELEASE_WORK_ORDER,
  START_RUN,
} from "./documents.ts";
import type { Plant } from "./harness.ts";

export interface Basics {
  manager: string;
  operator: string;
  viewer: string;
  flourId: string;
  sugarId: string;
  breadId: string;
  /** Serial-tracked finished product. */
  mixerId: string;
  siteId: string;
  /** A non-blocking quality gate (a visual check): routings may name it, it never stops a run. */
  advisoryGateId: string;
}

let counter = 0;
/** Unique codes per call, so tests in one file never collide. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** Materials and a site in inventory, and the three roles the tests act as. */
export async function basics(plant: Plant): Promise<Basics> {
  const manager = await plant.token(["MANAGER"], "Mia Manager");
  const operator = await plant.token(["OPERATOR"], "Otto Operator");
  const viewer = await plant.token(["VIEWER"], "Vera Viewer");
  const material = async (sku: string, kind: string, tracking: string, uom: string) =>
    (
      await plant.data<{ createMaterial: { material: { id: string } } }>(
        "inventory",
        CREATE_MATERIAL,
        { input: { sku: unique(sku), name: sku, uom, kind, tracking } },
        manager,
      )
    ).createMaterial.material.id;
  const siteId = (
    await plant.data<{ createLocation: { location: { id: string } } }>(
      "inventory",
      CREATE_LOCATION,
      { input: { code: unique("SITE"), name: "Plant", kind: "SITE" } },
      manager,
    )
  ).createLocation.location.id;
  const advisoryGateId = (
    await plant.data<{ createQcGate: { gate: { id: string } } }>(
      "quality",
      `mutation ($input: CreateQcGateInput!) { createQcGate(input: $input) { gate { id } } }`,
      { input: { name: unique("Visual check"), blocking: false, criticalControlPoint: false, characteristics: [] } },
      manager,
    )
  ).createQcGate.gate.id;
  return {
    manager,
    operator,
    viewer,
    siteId,
    advisoryGateId,
    flourId: await material("FLOUR", "RAW", "LOT", "kg"),
    sugarId: await material("SUGAR", "RAW", "LOT", "kg"),
    breadId: await material("BREAD", "FINISHED", "LOT", "kg"),
    mixerId: await material("MIXER", "FINISHED", "SERIAL", "ea"),
  };
}

export async function receive(
  plant: Plant,
  b: Basics,
  materialId: string,
  quantity: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const data = await plant.data<{ receiveLot: { lot: { id: string } } }>(
    "inventory",
    RECEIVE_LOT,
    { input: { materialId, quantity, locationId: b.siteId, code: unique("LOT"), ...extra } },
    b.operator,
  );
  return data.receiveLot.lot.id;
}

export async function createLine(plant: Plant, b: Basics): Promise<string> {
  const data = await plant.data<{ createLine: { line: { id: string } } }>(
    "production",
    CREATE_LINE,
    { input: { code: unique("LINE"), name: "Line" } },
    b.manager,
  );
  return data.createLine.line.id;
}

export interface WorkOrderShape {
  id: string;
  number: string;
  status: string;
  plannedQuantity: string;
  product: { id: string };
  line: { id: string; code: string } | null;
  phases: Array<{ sequence: number; name: string; gateId: string | null }>;
  components: Array<{ material: { id: string }; quantity: string }>;
  runs: Array<{ id: string; status: string }>;
}

export async function createWorkOrder(
  plant: Plant,
  b: Basics,
  input: Record<string, unknown> = {},
): Promise<WorkOrderShape> {
  const data = await plant.data<{ createWorkOrder: { workOrder: WorkOrderShape } }>(
    "production",
    CREATE_WORK_ORDER,
    {
      input: {
        productId: b.breadId,
        plannedQuantity: "100",
        phases: [{ name: "Mix" }, { name: "Bake", gateId: b.advisoryGateId }],
        ...input,
      },
    },
    b.manager,
  );
  return data.createWorkOrder.workOrder;
}

/** A released work order with a run in progress; returns the run id. */
export async function runningWorkOrder(
  plant: Plant,
  b: Basics,
  input: Record<string, unknown> = {},
): Promise<{ runId: string; workOrderId: string }> {
  const workOrder = await createWorkOrder(plant, b, input);
  await plant.data("production", RELEASE_WORK_ORDER, { input: { workOrderId: workOrder.id } }, b.manager);
  const started = await plant.data<{ startRun: { run: { id: string } } }>(
    "production",
    START_RUN,
    { input: { workOrderId: workOrder.id } },
    b.operator,
  );
  return { runId: started.startRun.run.id, workOrderId: workOrder.id };
}
