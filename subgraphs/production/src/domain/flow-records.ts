import { randomUUID } from "node:crypto";
import { SUBJECTS, appendAudit, enqueueEvent } from "@lotgraph/kit";
import * as flowStore from "../store/flow-store.ts";
import type { ProductionTx } from "../store/db.ts";
import { holdRun, touchRun } from "../store/run-store.ts";
import type { ConsumptionRecord, OutputRecord } from "./records.ts";

/** Who recorded a movement: the operator, or the reconciler acting on inventory's event. */
export interface FlowActor {
  id: string;
  name: string;
}

/**
 * Where a record comes from: the operator's own call, or inventory's event about a movement the
 * call committed there but never recorded here (a crash or a lost answer between the two).
 */
export type RecordedFrom = "call" | "inventory-event";

/** A consumption inventory has committed: the facts production records. */
export interface ConsumedFact {
  runId: string;
  lineId: string | null;
  lotId: string;
  materialId: string;
  quantity: string;
  movementId: string;
  at: Date;
}

/** A lot inventory has created for a run. */
export interface ProducedFact {
  runId: string;
  lineId: string | null;
  lotId: string;
  materialId: string;
  quantity: string;
  serialIds: string[];
  locationId: string;
  at: Date;
}

/**
 * Records a consumption inventory committed, once: with the run locked, an existing record of
 * the same movement is returned as is. Writes the audit entry and the genealogy event with it.
 */
export async function recordConsumption(
  tx: ProductionTx,
  fact: ConsumedFact,
  actor: FlowActor,
  from: RecordedFrom,
): Promise<ConsumptionRecord> {
  await holdRun(tx, fact.runId);
  const existing = await flowStore.findConsumptionByMovement(tx, fact.movementId);
  if (existing) return existing;
  const consumption = await flowStore.insertConsumption(tx, {
    id: randomUUID(),
    runId: fact.runId,
    lotId: fact.lotId,
    materialId: fact.materialId,
    quantity: fact.quantity,
    movementId: fact.movementId,
    operatorId: actor.id,
    operatorName: actor.name,
    consumedAt: fact.at,
  });
  await touchRun(tx, fact.runId);
  await appendAudit(tx, {
    actor,
    action: "consumption.recorded",
    entityType: "ProductionRun",
    entityId: fact.runId,
    after: from === "call" ? consumption : { ...consumption, recordedFrom: from },
  });
  await enqueueEvent(tx, {
    subject: SUBJECTS.production.consumptionRecorded,
    entityType: "ProductionRun",
    entityId: fact.runId,
    payload: {
      runId: fact.runId,
      lineId: fact.lineId,
      consumptionId: consumption.id,
      lotId: consumption.lotId,
      quantity: consumption.quantity,
      outputLotIds: await flowStore.outputLotIds(tx, fact.runId),
      consumedAt: consumption.consumedAt.toISOString(),
    },
  });
  return consumption;
}

/**
 * Records a lot inventory created for a run, once (unique on the lot), with its audit entry and
 * the genealogy event naming every lot the run has consumed so far as its parents.
 */
export async function recordOutput(
  tx: ProductionTx,
  fact: ProducedFact,
  actor: FlowActor,
  from: RecordedFrom,
): Promise<OutputRecord> {
  await holdRun(tx, fact.runId);
  const existing = await flowStore.findOutputByLot(tx, fact.lotId);
  if (existing) return existing;
  const output = await flowStore.insertOutput(tx, {
    id: randomUUID(),
    runId: fact.runId,
    lotId: fact.lotId,
    materialId: fact.materialId,
    quantity: fact.quantity,
    serialIds: fact.serialIds,
    operatorId: actor.id,
    operatorName: actor.name,
    createdAt: fact.at,
  });
  await touchRun(tx, fact.runId);
  await appendAudit(tx, {
    actor,
    action: "output.recorded",
    entityType: "ProductionRun",
    entityId: fact.runId,
    after: from === "call" ? output : { ...output, recordedFrom: from },
  });
  await enqueueEvent(tx, {
    subject: SUBJECTS.production.outputRecorded,
    entityType: "ProductionRun",
    entityId: fact.runId,
    payload: {
      runId: fact.runId,
      lineId: fact.lineId,
      outputId: output.id,
      lotId: output.lotId,
      materialId: output.materialId,
      quantity: output.quantity,
      serialIds: output.serialIds,
      inputLotIds: await flowStore.consumedLotIds(tx, fact.runId),
      recordedAt: output.createdAt.toISOString(),
      // Where the run put its output: traceability's fallback location for a run without a line.
      locationId: fact.locationId,
    },
  });
  return output;
}
