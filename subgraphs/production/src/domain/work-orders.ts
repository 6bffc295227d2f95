import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  notFound,
  isUuid,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type NewEvent,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { ProductionLoaders } from "../loaders.ts";
import { requireActiveLine } from "./lines.ts";
import type { ProductionTx } from "../store/db.ts";
import * as store from "../store/work-order-store.ts";
import { conflict, type ProductionDeps } from "./common.ts";
import { vanished, type ProductionCommand } from "./production-command.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { parseQuantity } from "@lotgraph/kit";
import { formatWorkOrderNumber, type WorkOrderRecord, type WorkOrderStatus } from "./records.ts";
import type { SubjectOf, workOrderChangedPayload } from "@lotgraph/kit";

type WorkOrderSubject = SubjectOf<typeof workOrderChangedPayload>;

const workOrderFields = z.object({
  productId: id,
  plannedQuantity: z.string(),
  phases: z
    .array(z.object({ name: text(100), gateId: id.nullish() }))
    .min(1, "a work order needs at least one phase")
    .max(100),
  components: z
    .array(z.object({ materialId: id, quantity: z.string() }))
    .max(500)
    .nullish(),
  lineId: id.nullish(),
  externalRef: text(100).nullish(),
  idempotencyKey,
});
const createWorkOrderSchema = workOrderFields.transform(plannedWorkOrder);
const workOrderRefSchema = z.object({ workOrderId: id, idempotencyKey });
const cancelSchema = z.object({ workOrderId: id, reason: text(500), idempotencyKey });

type PlannedWorkOrder = z.output<typeof createWorkOrderSchema>;

/** What a work order's reads batch through: the request's loader of work orders. */
export type WorkOrderLoaders = Pick<ProductionLoaders, "workOrder">;

/**
 * Work orders: the plan (product, quantity, routing, bill of materials) and its status. Built per
 * request (see production-services.ts), so reads batch through that request's loaders.
 */
export class WorkOrderService {
  constructor(
    private readonly deps: ProductionDeps,
    private readonly loaders: WorkOrderLoaders,
  ) {}

  /**
   * Plans a work order (MANAGER). The product and component materials must exist in inventory and
   * every phase's gate in quality, active (a gate that does not exist could never stop a run; a
   * deactivated one is retired from new plans); that is checked before the transaction (a read
   * over HTTP is never held inside one). The line must exist and be active, and an externalRef be
   * unused by any other work order (CONFLICT).
   */
  createWorkOrder(caller: Principal | null, raw: unknown, requestId: string): Promise<WorkOrderRecord> {
    return command(this.deps.db, caller, raw, {
      name: "createWorkOrder",
      role: "MANAGER",
      input: createWorkOrderSchema,
      prepare: (input) => this.requireKnownToPeers(input, requestId),
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, record }) => {
        if (input.lineId) await requireActiveLine(tx, input.lineId, "lineId");
        if (input.externalRef) await requireExternalRefFree(tx, input.externalRef);
        const created = await store.insertWorkOrder(tx, { id: randomUUID(), ...input });
        record.audit({
          action: "workOrder.created",
          entityType: "WorkOrder",
          entityId: created.id,
          after: { ...created, phases: input.phases, components: input.components },
        });
        record.event(workOrderEvent(SUBJECTS.production.workOrderCreated, created));
        return created.id;
      },
      reload: (workOrderId, { tx }) => this.load(workOrderId, tx),
    });
  }

  /**
   * The product and the component materials exist in inventory and are active, and every phase's
   * gate exists in quality (BAD_USER_INPUT).
   */
  private async requireKnownToPeers(input: PlannedWorkOrder, requestId: string): Promise<void> {
    const materialIds = [input.productId, ...input.components.map((component) => component.materialId)];
    const materials = await this.deps.inventory.materials(materialIds, requestId);
    // A deactivated material stays readable but no new plan may use it (issue 20).
    const requirePlannable = (field: string, materialId: string) => {
      const material = materials.get(materialId);
      if (!material) throw badInput(field, `material ${materialId} does not exist`);
      if (!material.active) throw badInput(field, `material ${material.sku} is deactivated: no work order may plan it`);
    };
    requirePlannable("productId", input.productId);
    input.components.forEach((component, index) =>
      requirePlannable(`components.${index}.materialId`, component.materialId),
    );
    const gateIds = [...new Set(input.phases.flatMap((phase) => (phase.gateId ? [phase.gateId] : [])))];
    const gates = await this.deps.quality.gates(gateIds, requestId);
    input.phases.forEach((phase, index) => {
      if (!phase.gateId) return;
      const gate = gates.get(phase.gateId);
      if (!gate) throw badInput(`phases.${index}.gateId`, `quality gate ${phase.gateId} does not exist`);
      if (!gate.active)
        throw badInput(
          `phases.${index}.gateId`,
          `quality gate ${gate.name} is deactivated: plan the phase on an active gate`,
        );
    });
  }

  /** PLANNED → RELEASED (MANAGER). */
  releaseWorkOrder(caller: Principal | null, raw: unknown): Promise<WorkOrderRecord> {
    return command(this.deps.db, caller, raw, {
      name: "releaseWorkOrder",
      role: "MANAGER",
      input: workOrderRefSchema,
      run: async (cmd) => {
        const before = await lockExisting(cmd.tx, cmd.input.workOrderId);
        if (before.status !== "PLANNED")
          throw conflict(`work order is ${before.status}; only a PLANNED work order can be released`, {
            status: before.status,
          });
        // Releasing sends the work to the floor: not to a line that was retired meanwhile.
        if (before.lineId) await requireActiveLine(cmd.tx, before.lineId, null);
        await transition(cmd, before, "RELEASED", "workOrder.released", null);
        return before.id;
      },
      reload: (workOrderId, { tx }) => this.load(workOrderId, tx),
    });
  }

  /** PLANNED or RELEASED → CANCELLED (MANAGER), with a reason; once a run has started it is too late. */
  cancelWorkOrder(caller: Principal | null, raw: unknown): Promise<WorkOrderRecord> {
    return command(this.deps.db, caller, raw, {
      name: "cancelWorkOrder",
      role: "MANAGER",
      input: cancelSchema,
      run: async (cmd) => {
        const before = await lockExisting(cmd.tx, cmd.input.workOrderId);
        if (before.status !== "PLANNED" && before.status !== "RELEASED")
          throw conflict(`work order is ${before.status}; only a PLANNED or RELEASED work order can be cancelled`, {
            status: before.status,
          });
        await transition(cmd, before, "CANCELLED", "workOrder.cancelled", cmd.input.reason);
        return before.id;
      },
      reload: (workOrderId, { tx }) => this.load(workOrderId, tx),
    });
  }

  /** By id or by the ERP's externalRef, exactly one of them. */
  async workOrder(
    caller: Principal | null,
    args: { id?: string | null; externalRef?: string | null },
  ): Promise<WorkOrderRecord | null> {
    requireAuthenticated(caller);
    if ((args.id == null) === (args.externalRef == null)) throw badInput("id", "give exactly one of id or externalRef");
    if (args.externalRef != null) return store.findWorkOrderByExternalRef(this.deps.db.client, args.externalRef);
    return isUuid(args.id!) ? this.loaders.workOrder.load(args.id!) : null;
  }

  async workOrders(
    caller: Principal | null,
    filter: store.WorkOrderFilter,
    pageArgs: PageArgs,
  ): Promise<Connection<WorkOrderRecord>> {
    requireAuthenticated(caller);
    const page = readPage(pageArgs);
    if (page.after && !/^\d+$/.test(page.after[0] ?? ""))
      throw badInput("after", "after is not a cursor of this connection");
    const lineId = filter.lineId && id.safeParse(filter.lineId).success ? filter.lineId : null;
    if (filter.lineId && !lineId) return toConnection([], page, () => [], 0);
    const { rows, totalCount } = await store.pageWorkOrders(this.deps.db.client, { ...filter, lineId }, page);
    return toConnection(rows, page, (row) => [String(row.number)], totalCount);
  }

  private async load(workOrderId: string, tx: ProductionTx): Promise<WorkOrderRecord> {
    const [workOrder] = await store.findWorkOrders(tx, [workOrderId]);
    return workOrder ?? vanished("work order", workOrderId);
  }
}

/**
 * An ERP's reference names one work order: a second one with it is CONFLICT. The advisory lock
 * serialises two plans with the same reference, so the loser gets this error, not the index's.
 */
async function requireExternalRefFree(tx: ProductionTx, externalRef: string): Promise<void> {
  await store.lockExternalRef(tx, externalRef);
  const taken = await store.findWorkOrderByExternalRef(tx, externalRef);
  if (taken)
    throw conflict(`externalRef ${externalRef} is already used by work order ${formatWorkOrderNumber(taken.number)}`, {
      field: "externalRef",
      workOrderId: taken.id,
    });
}

/** Locks a work order, or NOT_FOUND. */
export async function lockExisting(tx: ProductionTx, workOrderId: string): Promise<WorkOrderRecord> {
  const workOrder = await store.lockWorkOrder(tx, workOrderId);
  if (!workOrder) throw notFound("WorkOrder", workOrderId);
  return workOrder;
}

const SUBJECT_OF: Record<WorkOrderStatus, WorkOrderSubject> = {
  PLANNED: SUBJECTS.production.workOrderCreated,
  RELEASED: SUBJECTS.production.workOrderReleased,
  IN_PROGRESS: SUBJECTS.production.workOrderStarted,
  COMPLETED: SUBJECTS.production.workOrderCompleted,
  CANCELLED: SUBJECTS.production.workOrderCancelled,
};

/** Changes a locked work order's status with its audit entry and event, in the command's transaction. */
export async function transition(
  cmd: ProductionCommand,
  before: WorkOrderRecord,
  status: WorkOrderStatus,
  action: string,
  reason: string | null,
): Promise<WorkOrderRecord> {
  const after = await store.setWorkOrderStatus(cmd.tx, before.id, status);
  cmd.record.audit({
    action,
    entityType: "WorkOrder",
    entityId: before.id,
    reason,
    before: { status: before.status },
    after: { status },
  });
  cmd.record.event(workOrderEvent(SUBJECT_OF[status], after));
  return after;
}

const workOrderEvent = (subject: WorkOrderSubject, workOrder: WorkOrderRecord): NewEvent<WorkOrderSubject> => ({
  subject,
  entityType: "WorkOrder",
  entityId: workOrder.id,
  payload: { workOrderId: workOrder.id, lineId: workOrder.lineId, status: workOrder.status },
});

/**
 * A work order's plan as stored and compared on a replay: quantities in canonical form, phases
 * numbered, absent lists empty. A material listed twice is BAD_USER_INPUT.
 */
function plannedWorkOrder(parsed: z.output<typeof workOrderFields>) {
  const plan = {
    productId: parsed.productId,
    plannedQuantity: parseQuantity("plannedQuantity", parsed.plannedQuantity).toFixed(),
    phases: parsed.phases.map((phase, index) => ({
      sequence: index + 1,
      name: phase.name,
      gateId: phase.gateId ?? null,
    })),
    components: (parsed.components ?? []).map((component, index) => ({
      materialId: component.materialId,
      quantity: parseQuantity(`components.${index}.quantity`, component.quantity).toFixed(),
    })),
    lineId: parsed.lineId ?? null,
    externalRef: parsed.externalRef ?? null,
    idempotencyKey: parsed.idempotencyKey,
  };
  const seen = new Set<string>();
  plan.components.forEach((component, index) => {
    if (seen.has(component.materialId))
      throw badInput(`components.${index}.materialId`, `material ${component.materialId} is listed twice`);
    seen.add(component.materialId);
  });
  return plan;
}
