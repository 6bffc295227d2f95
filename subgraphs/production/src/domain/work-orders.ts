import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  appendAudit,
  badInput,
  enqueueEvent,
  notFound,
  parseInput,
  readPage,
  requireAuthenticated,
  requireRole,
  toConnection,
  withIdempotency,
  type Connection,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { ProductionLoaders } from "../loaders.ts";
import { findLines } from "../store/line-store.ts";
import type { ProductionTx } from "../store/db.ts";
import * as store from "../store/work-order-store.ts";
import { actorOf, conflict, type ProductionDeps } from "./common.ts";
import { id, idempotencyKey, text } from "@lotgraph/kit";
import { parseQuantity } from "@lotgraph/kit";
import type { WorkOrderRecord, WorkOrderStatus } from "./records.ts";
import type { SubjectOf, workOrderChangedPayload } from "@lotgraph/kit";

type WorkOrderSubject = SubjectOf<typeof workOrderChangedPayload>;

const createWorkOrderSchema = z.object({
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
  idempotencyKey,
});
const workOrderRefSchema = z.object({ workOrderId: id, idempotencyKey });
const cancelSchema = z.object({ workOrderId: id, reason: text(500), idempotencyKey });

/** Work orders: the plan (product, quantity, routing, bill of materials) and its status. */
export class WorkOrderService {
  constructor(private readonly deps: ProductionDeps) {}

  /**
   * Plans a work order (MANAGER). The product and component materials must exist in inventory and
   * every phase's gate in quality (a gate that does not exist could never stop a run); that is
   * checked before the transaction (a read over HTTP is never held inside one).
   */
  async createWorkOrder(caller: Principal | null, raw: unknown, requestId: string): Promise<WorkOrderRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...parsed } = parseInput(createWorkOrderSchema, raw);
    const input = {
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
    };
    const seen = new Set<string>();
    input.components.forEach((component, index) => {
      if (seen.has(component.materialId))
        throw badInput(`components.${index}.materialId`, `material ${component.materialId} is listed twice`);
      seen.add(component.materialId);
    });
    const materialIds = [input.productId, ...seen];
    const known = await this.deps.inventory.existing("Material", materialIds, requestId);
    if (!known.has(input.productId)) throw badInput("productId", `material ${input.productId} does not exist`);
    input.components.forEach((component, index) => {
      if (!known.has(component.materialId))
        throw badInput(`components.${index}.materialId`, `material ${component.materialId} does not exist`);
    });
    const gateIds = [...new Set(input.phases.flatMap((phase) => (phase.gateId ? [phase.gateId] : [])))];
    const gates = await this.deps.quality.gates(gateIds, requestId);
    input.phases.forEach((phase, index) => {
      if (phase.gateId && !gates.has(phase.gateId))
        throw badInput(`phases.${index}.gateId`, `quality gate ${phase.gateId} does not exist`);
    });

    const workOrderId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "createWorkOrder", key, input, async () => {
        if (input.lineId && (await findLines(tx, [input.lineId])).length === 0)
          throw badInput("lineId", `line ${input.lineId} does not exist`);
        const created = await store.insertWorkOrder(tx, { id: randomUUID(), ...input });
        await appendAudit(tx, {
          actor: actorOf(actor),
          action: "workOrder.created",
          entityType: "WorkOrder",
          entityId: created.id,
          after: { ...created, phases: input.phases, components: input.components },
        });
        await emit(tx, SUBJECTS.production.workOrderCreated, created);
        return created.id;
      }),
    );
    return this.load(workOrderId);
  }

  /** PLANNED → RELEASED (MANAGER). */
  async releaseWorkOrder(caller: Principal | null, raw: unknown): Promise<WorkOrderRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...input } = parseInput(workOrderRefSchema, raw);
    await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "releaseWorkOrder", key, input, async () => {
        const before = await lockExisting(tx, input.workOrderId);
        if (before.status !== "PLANNED")
          throw conflict(`work order is ${before.status}; only a PLANNED work order can be released`, {
            status: before.status,
          });
        await transition(tx, actorOf(actor), before, "RELEASED", "workOrder.released", null);
        return input.workOrderId;
      }),
    );
    return this.load(input.workOrderId);
  }

  /** PLANNED or RELEASED → CANCELLED (MANAGER), with a reason; once a run has started it is too late. */
  async cancelWorkOrder(caller: Principal | null, raw: unknown): Promise<WorkOrderRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey: key, ...input } = parseInput(cancelSchema, raw);
    await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "cancelWorkOrder", key, input, async () => {
        const before = await lockExisting(tx, input.workOrderId);
        if (before.status !== "PLANNED" && before.status !== "RELEASED")
          throw conflict(`work order is ${before.status}; only a PLANNED or RELEASED work order can be cancelled`, {
            status: before.status,
          });
        await transition(tx, actorOf(actor), before, "CANCELLED", "workOrder.cancelled", input.reason);
        return input.workOrderId;
      }),
    );
    return this.load(input.workOrderId);
  }

  async workOrder(
    caller: Principal | null,
    workOrderId: string,
    loaders: ProductionLoaders,
  ): Promise<WorkOrderRecord | null> {
    requireAuthenticated(caller);
    return loaders.workOrder.load(workOrderId);
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

  private async load(workOrderId: string): Promise<WorkOrderRecord> {
    const [workOrder] = await store.findWorkOrders(this.deps.db.client, [workOrderId]);
    if (!workOrder) throw new Error(`work order ${workOrderId} vanished after a committed change`);
    return workOrder;
  }
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

/** Changes a locked work order's status with its audit entry and event, in the caller's transaction. */
export async function transition(
  tx: ProductionTx,
  actor: { id: string; name: string },
  before: WorkOrderRecord,
  status: WorkOrderStatus,
  action: string,
  reason: string | null,
): Promise<WorkOrderRecord> {
  const after = await store.setWorkOrderStatus(tx, before.id, status);
  await appendAudit(tx, {
    actor,
    action,
    entityType: "WorkOrder",
    entityId: before.id,
    reason,
    before: { status: before.status },
    after: { status },
  });
  await emit(tx, SUBJECT_OF[status], after);
  return after;
}

const emit = (tx: ProductionTx, subject: WorkOrderSubject, workOrder: WorkOrderRecord) =>
  enqueueEvent(tx, {
    subject,
    entityType: "WorkOrder",
    entityId: workOrder.id,
    payload: { workOrderId: workOrder.id, lineId: workOrder.lineId, status: workOrder.status },
  });
