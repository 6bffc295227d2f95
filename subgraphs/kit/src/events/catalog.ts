import type { z } from "zod";
import type { BusMessage } from "../bus/types.ts";
import * as payloads from "./payloads.ts";
import { SUBJECTS } from "./subjects.ts";

const { identity, inventory, production, quality, traceability } = SUBJECTS;

/**
 * The event catalogue: each subject and the schema of its payload, the one contract between a
 * producer (`enqueueEvent` takes the payload type of its subject) and its consumers (`payloadOf`
 * parses with the subject's schema), the live bindings included.
 */
export const EVENT_PAYLOADS = {
  [identity.userCreated]: payloads.identityEntityPayload,
  [identity.userUpdated]: payloads.identityEntityPayload,
  [identity.userDeactivated]: payloads.identityEntityPayload,
  [identity.serviceAccountCreated]: payloads.identityEntityPayload,
  [identity.serviceAccountRotated]: payloads.identityEntityPayload,
  [identity.serviceAccountRevoked]: payloads.identityEntityPayload,
  [inventory.materialCreated]: payloads.materialCreatedPayload,
  [inventory.locationCreated]: payloads.locationCreatedPayload,
  [inventory.partyCreated]: payloads.partyCreatedPayload,
  [inventory.materialUpdated]: payloads.materialUpdatedPayload,
  [inventory.locationUpdated]: payloads.locationUpdatedPayload,
  [inventory.partyUpdated]: payloads.partyUpdatedPayload,
  [inventory.materialDeactivated]: payloads.masterDataDeactivatedPayload,
  [inventory.locationDeactivated]: payloads.masterDataDeactivatedPayload,
  [inventory.partyDeactivated]: payloads.masterDataDeactivatedPayload,
  [inventory.lotExternalRefSet]: payloads.lotExternalRefSetPayload,
  [inventory.lotReceived]: payloads.lotReceivedPayload,
  [inventory.lotMoved]: payloads.lotMovedPayload,
  [inventory.lotAdjusted]: payloads.lotAdjustedPayload,
  [inventory.lotScrapped]: payloads.lotScrappedPayload,
  [inventory.lotConsumed]: payloads.lotConsumedPayload,
  [inventory.lotProduced]: payloads.lotProducedPayload,
  [inventory.lotShipped]: payloads.lotShippedPayload,
  [inventory.shipmentCreated]: payloads.shipmentCreatedPayload,
  [inventory.lotHeld]: payloads.lotHoldChangedPayload,
  [inventory.lotReleased]: payloads.lotHoldChangedPayload,
  [inventory.lotReleaseChanged]: payloads.lotReleaseChangedPayload,
  [inventory.importProgressed]: payloads.importProgressedPayload,
  [production.lineCreated]: payloads.lineCreatedPayload,
  [production.lineUpdated]: payloads.lineChangedPayload,
  [production.lineDeactivated]: payloads.lineChangedPayload,
  [production.workOrderCreated]: payloads.workOrderChangedPayload,
  [production.workOrderReleased]: payloads.workOrderChangedPayload,
  [production.workOrderStarted]: payloads.workOrderChangedPayload,
  [production.workOrderCompleted]: payloads.workOrderChangedPayload,
  [production.workOrderCancelled]: payloads.workOrderChangedPayload,
  [production.runStarted]: payloads.runChangedPayload,
  [production.runPhaseAdvanced]: payloads.runChangedPayload,
  [production.runCompleted]: payloads.runChangedPayload,
  [production.runCancelled]: payloads.runChangedPayload,
  [production.consumptionRecorded]: payloads.consumptionRecordedPayload,
  [production.outputRecorded]: payloads.outputRecordedPayload,
  [production.componentInstalled]: payloads.componentInstallationPayload,
  [production.componentRemoved]: payloads.componentInstallationPayload,
  [quality.gateCreated]: payloads.qcGateCreatedPayload,
  [quality.gateUpdated]: payloads.qcGateChangedPayload,
  [quality.gateDeactivated]: payloads.qcGateChangedPayload,
  [quality.decisionRecorded]: payloads.qcDecisionRecordedPayload,
  [quality.holdPlaced]: payloads.holdChangedPayload,
  [quality.holdReleased]: payloads.holdChangedPayload,
  [quality.nonConformanceOpened]: payloads.nonConformanceChangedPayload,
  [quality.nonConformanceDispositioned]: payloads.nonConformanceChangedPayload,
  [quality.nonConformanceClosed]: payloads.nonConformanceChangedPayload,
  [traceability.recallOpened]: payloads.recallCaseChangedPayload,
  [traceability.recallNoticeRecorded]: payloads.recallCaseChangedPayload,
  [traceability.recallClosed]: payloads.recallCaseChangedPayload,
} as const satisfies Record<Subject, z.ZodType>;

type Catalogue = typeof SUBJECTS;

/** Every subject of the catalogue, e.g. "lotgraph.inventory.lot.received". */
export type Subject = { [Context in keyof Catalogue]: Catalogue[Context][keyof Catalogue[Context]] }[keyof Catalogue];

/** The payload a consumer gets for `S`, parsed. */
export type EventPayload<S extends Subject> = z.output<(typeof EVENT_PAYLOADS)[S]>;

/** The payload a producer writes for `S`. */
export type EventPayloadInput<S extends Subject> = z.input<(typeof EVENT_PAYLOADS)[S]>;

/** The subjects whose payload is `Schema`, for a producer that writes several of them (a run's events). */
export type SubjectOf<Schema extends z.ZodType> = {
  [S in Subject]: (typeof EVENT_PAYLOADS)[S] extends Schema ? S : never;
}[Subject];

/**
 * The payload of a `subject` message, parsed with its schema. A malformed payload throws, so the
 * consumer refuses the event (its transaction rolls back and the bus redelivers it).
 */
export function payloadOf<S extends Subject>(subject: S, message: BusMessage): EventPayload<S> {
  if (message.subject !== subject) {
    throw new Error(`event ${message.id} is ${message.subject}, not ${subject}`);
  }
  return EVENT_PAYLOADS[subject].parse(message.payload) as EventPayload<S>;
}
