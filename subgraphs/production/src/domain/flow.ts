import { randomUUID } from "node:crypto";
import { badInput, command, isUuid, notFound, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { ProductionTx } from "../store/db.ts";
import * as flowStore from "../store/flow-store.ts";
import { findRuns } from "../store/run-store.ts";
import { findComponents, findPhases, findWorkOrders } from "../store/work-order-store.ts";
import { actorOf, type ProductionDeps } from "./common.ts";
import { code, id, idempotencyKey } from "@lotgraph/kit";
import { recordConsumption, recordOutput } from "./flow-records.ts";
import { parseQuantity } from "@lotgraph/kit";
import type { ProduceResult } from "./inventory-port.ts";
import { vanished } from "./production-command.ts";
import type { ConsumptionRecord, OutputRecord, RunRecord, WorkOrderRecord } from "./records.ts";
import { runNotInProgress } from "./runs.ts";

const consumeSchema = z
  .object({ runId: id, lotId: id, quantity: z.string(), idempotencyKey })
  .transform((parsed) => ({ ...parsed, quantity: parseQuantity("quantity", parsed.quantity).toFixed() }));
const outputSchema = z
  .object({
    runId: id,
    quantity: z.string(),
    code: code(),
    serialNumbers: z.array(z.string().trim().min(1, "required").max(100)).max(10_000).nullish(),
    locationId: id,
    idempotencyKey,
  })
  .transform(outputToRecord);

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
  consumeLot(caller: Principal | null, raw: unknown, requestId: string): Promise<ConsumptionRecord> {
    return command(this.deps.db, caller, raw, {
      name: "consumeLot",
      role: "OPERATOR",
      input: consumeSchema,
      prepare: async (input, principal) => {
        const { run, workOrder } = await this.runInProgress(input.runId);
        const bom = (await findComponents(this.deps.db.client, [workOrder.id])).get(workOrder.id) ?? [];
        const consumed = await this.deps.inventory.consumeFromLot(
          {
            lotId: input.lotId,
            quantity: input.quantity,
            runId: run.id,
            allowedMaterialIds: bom.length > 0 ? bom.map((component) => component.materialId) : null,
            performedBy: actorOf(principal),
            idempotencyKey: `consume:${run.id}:${principal.id}:${input.idempotencyKey ?? randomUUID()}`,
          },
          requestId,
        );
        return { run, workOrder, consumed };
      },
      // Inventory has committed: record it even if the run ended meanwhile, or the ledger would
      // show a consumption that production never knew about.
      run: async ({ tx, input, actor, prepared: { run, workOrder, consumed } }) => {
        const fact = {
          runId: run.id,
          lineId: workOrder.lineId,
          lotId: consumed.lotId,
          materialId: consumed.materialId,
          quantity: input.quantity,
          movementId: consumed.movementId,
          at: new Date(),
        };
        return (await recordConsumption(tx, fact, actor, "call")).id;
      },
      reload: (consumptionId, { tx }) => this.consumption(consumptionId, tx),
    });
  }

  /**
   * Records a lot of the work order's product made by a run (OPERATOR), created in inventory.
   * Inventory decides how it starts: waiting for the routing's blocking gates the run has not
   * passed, and under any hold on what the run consumed (or their ancestors) or on the run. Those
   * holds are then reported to quality, which records them as Holds.
   */
  recordOutput(caller: Principal | null, raw: unknown, requestId: string): Promise<OutputRecord> {
    return command(this.deps.db, caller, raw, {
      name: "recordOutput",
      role: "OPERATOR",
      input: outputSchema,
      prepare: (input, principal) => this.produce(input, principal, requestId),
      // As for consumptions: inventory has committed, so the output is recorded whatever the run's state now.
      run: async ({ tx, input, actor, prepared: { run, workOrder, produced } }) => {
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
        return (await recordOutput(tx, fact, actor, "call")).id;
      },
      settle: async (_outputId, { produced }) => {
        if (produced.holds.length > 0) await this.reportHolds(produced.lotId, produced.holds, requestId);
      },
      reload: (outputId, { tx }) => this.output(outputId, tx),
    });
  }

  /** Inventory creates the run's output lot (the run checked first); outside any transaction here. */
  private async produce(input: OutputToRecord, principal: Principal, requestId: string) {
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
        performedBy: actorOf(principal),
        idempotencyKey: `produce:${run.id}:${principal.id}:${input.idempotencyKey ?? randomUUID()}`,
      },
      requestId,
    );
    return { run, workOrder, produced };
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

  private async consumption(consumptionId: string, tx: ProductionTx): Promise<ConsumptionRecord> {
    return (await flowStore.findConsumption(tx, consumptionId)) ?? vanished("consumption", consumptionId);
  }

  private async output(outputId: string, tx: ProductionTx): Promise<OutputRecord> {
    return (await flowStore.findOutput(tx, outputId)) ?? vanished("output", outputId);
  }
}

type OutputToRecord = z.output<typeof outputSchema>;

/** An output as compared on a replay: its quantity in canonical form; a serial number listed twice is BAD_USER_INPUT. */
function outputToRecord<I extends { quantity: string; serialNumbers?: string[] | null }>(parsed: I) {
  const output = {
    ...parsed,
    quantity: parseQuantity("quantity", parsed.quantity).toFixed(),
    serialNumbers: parsed.serialNumbers ?? null,
  };
  const duplicate = output.serialNumbers?.find((serial, index, all) => all.indexOf(serial) !== index);
  if (duplicate) throw badInput("serialNumbers", `serial number ${duplicate} is listed twice`);
  return output;
}
