import { randomUUID } from "node:crypto";
import { badInput, isUuid, notFound, parseInput, requireRole, withIdempotency, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as flowStore from "../store/flow-store.ts";
import { findRuns } from "../store/run-store.ts";
import { findComponents, findPhases, findWorkOrders } from "../store/work-order-store.ts";
import { actorOf, storedResult, type ProductionDeps } from "./common.ts";
import { code, id, idempotencyKey } from "@lotgraph/kit";
import { recordConsumption, recordOutput } from "./flow-records.ts";
import { parseQuantity } from "@lotgraph/kit";
import type { ProduceResult } from "./inventory-port.ts";
import type { ConsumptionRecord, OutputRecord, RunRecord, WorkOrderRecord } from "./records.ts";
import { runNotInProgress } from "./runs.ts";

const consumeSchema = z.object({ runId: id, lotId: id, quantity: z.string(), idempotencyKey });
const outputSchema = z.object({
  runId: id,
  quantity: z.string(),
  code: code(),
  serialNumbers: z.array(z.string().trim().min(1, "required").max(100)).max(10_000).nullish(),
  locationId: id,
  idempotencyKey,
});

/**
 * Material flow: consumptions and outputs. Inventory owns lot quantities, so each of these calls
 * inventory first, outside any production transaction (a transaction is never held across an
 * HTTP call), then records the result here. The key sent to inventory is derived from the
 * client's, so a retry after a lost response gets inventory's stored result instead of a second
 * movement, and production's row is unique on what inventory returned: exactly one record.
 */
export class FlowService {
  constructor(private readonly deps: ProductionDeps) {}

  /** Consumes a quantity of a lot into a run (OPERATOR). */
  async consumeLot(caller: Principal | null, raw: unknown, requestId: string): Promise<ConsumptionRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...parsed } = parseInput(consumeSchema, raw);
    const input = { ...parsed, quantity: parseQuantity("quantity", parsed.quantity).toFixed() };
    const earlier = await storedResult<string>(this.deps, "consumeLot", key, input);
    if (earlier) return this.consumption(earlier);

    const { run, workOrder } = await this.runInProgress(input.runId);
    const bom = (await findComponents(this.deps.db.client, [workOrder.id])).get(workOrder.id) ?? [];
    const consumed = await this.deps.inventory.consumeFromLot(
      {
        lotId: input.lotId,
        quantity: input.quantity,
        runId: run.id,
        allowedMaterialIds: bom.length > 0 ? bom.map((component) => component.materialId) : null,
        performedBy: actorOf(actor),
        idempotencyKey: `consume:${run.id}:${actor.id}:${key ?? randomUUID()}`,
      },
      requestId,
    );

    // Inventory has committed: record it even if the run ended meanwhile, or the ledger would
    // show a consumption that production never knew about.
    const consumptionId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "consumeLot", key, input, async () => {
        const fact = {
          runId: run.id,
          lineId: workOrder.lineId,
          lotId: consumed.lotId,
          materialId: consumed.materialId,
          quantity: input.quantity,
          movementId: consumed.movementId,
          at: new Date(),
        };
        return (await recordConsumption(tx, fact, actorOf(actor), "call")).id;
      }),
    );
    return this.consumption(consumptionId);
  }

  /**
   * Records a lot of the work order's product made by a run (OPERATOR), created in inventory.
   * Inventory decides how it starts: waiting for the routing's blocking gates the run has not
   * passed, and under any hold on what the run consumed (or their ancestors) or on the run. Those
   * holds are then reported to quality, which records them as Holds.
   */
  async recordOutput(caller: Principal | null, raw: unknown, requestId: string): Promise<OutputRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey: key, ...parsed } = parseInput(outputSchema, raw);
    const input = {
      ...parsed,
      quantity: parseQuantity("quantity", parsed.quantity).toFixed(),
      serialNumbers: parsed.serialNumbers ?? null,
    };
    const duplicate = input.serialNumbers?.find((serial, index, all) => all.indexOf(serial) !== index);
    if (duplicate) throw badInput("serialNumbers", `serial number ${duplicate} is listed twice`);
    const earlier = await storedResult<string>(this.deps, "recordOutput", key, input);
    if (earlier) return this.output(earlier);

    const { run, workOrder } = await this.runInProgress(input.runId);
    const blockingGateIds = await this.blockingGates(workOrder.id, requestId);
    const produced = await this.deps.inventory.produceLot(
      {
        runId: run.id,
        materialId: workOrder.productId,
        quantity: input.quantity,
        code: input.code,
        locationId: input.locationId,
        serialNumbers: input.serialNumbers,
        blockingGateIds,
        performedBy: actorOf(actor),
        idempotencyKey: `produce:${run.id}:${actor.id}:${key ?? randomUUID()}`,
      },
      requestId,
    );

    // As for consumptions: inventory has committed, so the output is recorded whatever the run's state now.
    const outputId = await this.deps.db.transaction((tx) =>
      withIdempotency(tx, "recordOutput", key, input, async () => {
        const fact = {
          runId: run.id,
          lineId: workOrder.lineId,
          lotId: produced.lotId,
          materialId: workOrder.productId,
          quantity: input.quantity,
          serialIds: produced.serialIds,
          locationId: input.locationId,
          at: new Date(),
        };
        return (await recordOutput(tx, fact, actorOf(actor), "call")).id;
      }),
    );
    if (produced.holds.length > 0) await this.reportHolds(produced.lotId, produced.holds, requestId);
    return this.output(outputId);
  }

  /** The blocking gates of a work order's routing (quality says which of its gates block). */
  private async blockingGates(workOrderId: string, requestId: string): Promise<string[]> {
    const phases = (await findPhases(this.deps.db.client, [workOrderId])).get(workOrderId) ?? [];
    const gateIds = [
      ...new Set(phases.flatMap((phase) => (phase.gateId && isUuid(phase.gateId) ? [phase.gateId] : []))),
    ];
    if (gateIds.length === 0) return [];
    const gates = await this.deps.quality.gates(gateIds, requestId);
    return gateIds.filter((gateId) => gates.get(gateId)?.blocking);
  }

  /**
   * Tells quality about holds the new lot was born under, so its Lot.holds shows them at once.
   * Inventory has committed them and published them too: if quality cannot be reached now, its
   * consumer of inventory's events records them shortly, so the output is not refused for it.
   */
  private async reportHolds(lotId: string, holds: ProduceResult["holds"], requestId: string): Promise<void> {
    try {
      await this.deps.quality.recordAutomaticHolds(lotId, holds, requestId);
    } catch (error) {
      this.deps.logger?.warn({ err: error, lotId }, "quality will record the output's holds from inventory's events");
    }
  }

  /** The run and its work order, checked before inventory is called: NOT_FOUND or CONFLICT. */
  private async runInProgress(runId: string): Promise<{ run: RunRecord; workOrder: WorkOrderRecord }> {
    const [run] = await findRuns(this.deps.db.client, [runId]);
    if (!run) throw notFound("ProductionRun", runId);
    if (run.status !== "IN_PROGRESS") throw runNotInProgress(run);
    const [workOrder] = await findWorkOrders(this.deps.db.client, [run.workOrderId]);
    if (!workOrder) throw new Error(`run ${run.id} references missing work order ${run.workOrderId}`);
    return { run, workOrder };
  }

  private async consumption(consumptionId: string): Promise<ConsumptionRecord> {
    const found = await flowStore.findConsumption(this.deps.db.client, consumptionId);
    if (!found) throw new Error(`consumption ${consumptionId} vanished after its creation`);
    return found;
  }

  private async output(outputId: string): Promise<OutputRecord> {
    const found = await flowStore.findOutput(this.deps.db.client, outputId);
    if (!found) throw new Error(`output ${outputId} vanished after its creation`);
    return found;
  }
}
