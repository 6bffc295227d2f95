import { SUBJECTS, payloadOf, type SubjectOf, type componentInstallationPayload } from "@lotgraph/kit";
import { NOTHING_LINKED, type EventHandler } from "./event-handler.ts";

/** A run consumed a lot: it becomes a parent of every output of the run (DESIGN.md §4.4). */
const consumptionRecorded: EventHandler = async (message, { graph, facts }) => {
  const p = payloadOf(SUBJECTS.production.consumptionRecorded, message);
  const links = await graph.recordRunInput(p.runId, p.lotId, p.quantity, p.consumptionId);
  await facts.recordConsumedAt(p.consumptionId, new Date(p.consumedAt));
  await facts.recordRunPlace({ runId: p.runId, lineId: p.lineId, locationId: null });
  return links;
};

/** A run output a lot: every lot the run has consumed becomes its parent. */
const outputRecorded: EventHandler = async (message, { graph, facts }) => {
  const p = payloadOf(SUBJECTS.production.outputRecorded, message);
  await graph.upsertLot({
    lotId: p.lotId,
    code: null,
    materialId: p.materialId,
    createdAt: new Date(p.recordedAt),
  });
  const links = await graph.recordRunOutput(p.runId, p.lotId);
  await facts.recordOutputQuantity(
    { outputId: p.outputId, runId: p.runId, lotId: p.lotId, quantity: p.quantity },
    new Date(p.recordedAt),
  );
  await facts.recordRunPlace({ runId: p.runId, lineId: p.lineId, locationId: p.locationId ?? null });
  return links;
};

/** An installation or its removal: the as-built facts (one row per installation, removal included). */
const componentInstallation =
  (subject: SubjectOf<typeof componentInstallationPayload>): EventHandler =>
  async (message, { facts }) => {
    const p = payloadOf(subject, message);
    await facts.upsertInstallation({
      installationId: p.installationId,
      parentSerialId: p.parentSerialId,
      componentSerialId: p.componentSerialId,
      componentLotId: p.componentLotId,
      quantity: p.quantity,
      runId: p.runId,
      installedAt: new Date(p.installedAt),
      removedAt: p.removedAt ? new Date(p.removedAt) : null,
    });
    return NOTHING_LINKED;
  };

/** Production's run and assembly events. */
export const RUN_EVENT_HANDLERS: ReadonlyArray<readonly [string, EventHandler]> = [
  [SUBJECTS.production.consumptionRecorded, consumptionRecorded],
  [SUBJECTS.production.outputRecorded, outputRecorded],
  [SUBJECTS.production.componentInstalled, componentInstallation(SUBJECTS.production.componentInstalled)],
  [SUBJECTS.production.componentRemoved, componentInstallation(SUBJECTS.production.componentRemoved)],
];
