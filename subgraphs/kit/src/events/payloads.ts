import { z } from "zod";

/*
 * The payload schemas of the event catalogue (catalog.ts maps each subject to one). Quantities
 * are decimal strings in the `Decimal` scalar's form.
 */

/*
 * Master data (material, location, party, line). Only keys were published at first, so every
 * descriptive field is optional: an event written before it carried them still parses, and a
 * consumer treats a missing field as unknown (never as empty).
 */

export const materialCreatedPayload = z.object({
  sku: z.string().optional(),
  name: z.string().optional(),
  uom: z.string().optional(),
  kind: z.enum(["RAW", "INTERMEDIATE", "FINISHED", "PACKAGING"]).optional(),
});

export const locationCreatedPayload = z.object({
  code: z.string().optional(),
  name: z.string().optional(),
  kind: z.enum(["SITE", "AREA", "LINE", "BIN"]).optional(),
  /** null for a site (the root of the tree); absent when not known. */
  parentId: z.string().nullable().optional(),
});

export const partyCreatedPayload = z.object({
  code: z.string().optional(),
  name: z.string().optional(),
  kind: z.enum(["SUPPLIER", "CUSTOMER"]).optional(),
});

/*
 * Master data changes carry the entity's current facts (the created payload's, so a projection
 * may handle them as it handles a creation) and which fields the change touched.
 */
const changed = { changed: z.array(z.string()) };

export const materialUpdatedPayload = materialCreatedPayload.extend({
  tracking: z.enum(["LOT", "SERIAL"]),
  inspectionRequired: z.boolean(),
  externalRef: z.string().nullable(),
  ...changed,
});

export const locationUpdatedPayload = locationCreatedPayload.extend(changed);

export const partyUpdatedPayload = partyCreatedPayload.extend({ externalRef: z.string().nullable(), ...changed });

export const masterDataDeactivatedPayload = z.object({
  deactivatedAt: z.string(),
  reason: z.string().nullable(),
});

export const lotExternalRefSetPayload = z.object({
  lotId: z.string(),
  materialId: z.string(),
  /** null: cleared. */
  externalRef: z.string().nullable(),
});

export const lineCreatedPayload = z.object({
  lineId: z.string(),
  code: z.string(),
  name: z.string().optional(),
});

/** A line as it is after an update or a deactivation (the same keys as lineCreated, and active). */
export const lineChangedPayload = z.object({
  lineId: z.string(),
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
});

export const lotReceivedPayload = z.object({
  code: z.string(),
  materialId: z.string(),
  quantity: z.string(),
  uom: z.string(),
  locationId: z.string().nullable(),
  supplierId: z.string().nullable(),
  supplierLotCode: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** SERIAL materials: the units received (absent for LOT materials and older events). */
  serials: z.array(z.object({ id: z.string(), serialNumber: z.string() })).optional(),
});

/**
 * What every event that changes a lot's quantity or status carries: the lot, the ledger entry,
 * and the lot's on-hand and status right after it. Quantities are decimal strings.
 */
const lotChange = {
  lotId: z.string(),
  /** The lot's material, so `lotChanged(materialId)` filters without a lookup; absent in older events. */
  materialId: z.string().optional(),
  movementId: z.string(),
  /** On-hand after the change. */
  onHand: z.string(),
  status: z.enum(["AVAILABLE", "QUARANTINE", "ON_HOLD", "CONSUMED", "SHIPPED", "SCRAPPED"]),
};

export const lotMovedPayload = z.object({
  lotId: z.string(),
  /** Absent in older events. */
  materialId: z.string().optional(),
  movementId: z.string(),
  fromLocationId: z.string().nullable(),
  toLocationId: z.string(),
});

export const lotAdjustedPayload = z.object({ ...lotChange, delta: z.string(), reason: z.string() });

export const lotScrappedPayload = z.object({ ...lotChange, quantity: z.string(), reason: z.string() });

/** The person on whose behalf a service moved stock; absent in older events. */
const performedBy = z.object({ id: z.string(), name: z.string() }).nullish();

export const lotConsumedPayload = z.object({
  ...lotChange,
  materialId: z.string(),
  /** Taken from the lot (positive). */
  quantity: z.string(),
  runId: z.string(),
  performedBy,
});

export const lotProducedPayload = z.object({
  lotId: z.string(),
  code: z.string(),
  materialId: z.string(),
  quantity: z.string(),
  uom: z.string(),
  locationId: z.string(),
  runId: z.string(),
  serials: z.array(z.object({ id: z.string(), serialNumber: z.string() })),
  createdAt: z.iso.datetime(),
  performedBy,
});

export const lotShippedPayload = z.object({
  ...lotChange,
  shipmentId: z.string(),
  customerId: z.string(),
  quantity: z.string(),
  /** Where the lot was when it shipped (the ship-from location); absent in older events. */
  locationId: z.string().nullable().optional(),
});

/**
 * A quality hold placed on or released from a lot. `status` is the lot's status right after
 * (ON_HOLD while any hold is active; a consumed, shipped or scrapped lot keeps its status);
 * `activeHolds` counts the holds still on the lot.
 */
const lotStatus = z.enum(["AVAILABLE", "QUARANTINE", "ON_HOLD", "CONSUMED", "SHIPPED", "SCRAPPED"]);

export const lotHoldChangedPayload = z.object({
  lotId: z.string(),
  /** Absent in older events. */
  materialId: z.string().optional(),
  holdId: z.string(),
  status: lotStatus,
  previousStatus: lotStatus,
  activeHolds: z.number().int().nonnegative(),
  reason: z.string(),
  /** What the lot still waits for before use (absent in older events). */
  pending: z.array(z.string()).optional(),
  /**
   * True when inventory placed the hold by itself as the lot was created (inherited from a held
   * ancestor, a held run or a held supplier lot code): quality records a Hold for it from this event.
   */
  automatic: z.boolean().optional(),
  /** The held ancestor an automatic hold was inherited from (null: a held run or supplier lot code). */
  causeLotId: z.string().nullable().optional(),
});

/** What a lot waits for before use changed; `pending` is the full list after the change. */
export const lotReleaseChangedPayload = z.object({
  lotId: z.string(),
  materialId: z.string(),
  status: lotStatus,
  previousStatus: lotStatus,
  pending: z.array(z.string()),
  reason: z.string(),
});

export const shipmentCreatedPayload = z.object({
  customerId: z.string(),
  reference: z.string(),
  shippedAt: z.iso.datetime(),
  lines: z.array(
    z.object({
      lotId: z.string(),
      quantity: z.string(),
      /** Where the lot was when it shipped; absent in older events. */
      locationId: z.string().nullable().optional(),
    }),
  ),
});

/** Work order events (created, released, started, completed, cancelled): keys for the live layer. */
export const workOrderChangedPayload = z.object({
  workOrderId: z.string(),
  lineId: z.string().nullable(),
  status: z.enum(["PLANNED", "RELEASED", "IN_PROGRESS", "COMPLETED", "CANCELLED"]),
});

/** Run events (started, phaseAdvanced, completed, cancelled): keys `runChanged(runId, lineId)` filters on. */
export const runChangedPayload = z.object({
  runId: z.string(),
  workOrderId: z.string(),
  lineId: z.string().nullable(),
  status: z.enum(["IN_PROGRESS", "COMPLETED", "CANCELLED"]),
  /** Sequence of the phase the run is in; null once it has ended. */
  currentPhase: z.number().int().nullable(),
});

/**
 * A run consumed from a lot. `outputLotIds` lists every lot the run has output so far, so a
 * consumer links lotId as a parent of each of them (DESIGN.md §4.4) whatever order events arrive in.
 */
export const consumptionRecordedPayload = z.object({
  runId: z.string(),
  lineId: z.string().nullable(),
  consumptionId: z.string(),
  lotId: z.string(),
  quantity: z.string(),
  outputLotIds: z.array(z.string()),
  consumedAt: z.iso.datetime(),
});

/** A run output a lot. `inputLotIds` lists every lot the run has consumed so far: each is a parent of lotId. */
export const outputRecordedPayload = z.object({
  runId: z.string(),
  lineId: z.string().nullable(),
  outputId: z.string(),
  lotId: z.string(),
  materialId: z.string(),
  quantity: z.string(),
  serialIds: z.array(z.string()),
  inputLotIds: z.array(z.string()),
  recordedAt: z.iso.datetime(),
  /** Where the output lot was put (recordOutput's location); absent in older events. */
  locationId: z.string().optional(),
});

/** As-built: a component serial or lot installed into a parent serial (removedAt set on removal). */
export const componentInstallationPayload = z.object({
  installationId: z.string(),
  parentSerialId: z.string(),
  componentSerialId: z.string().nullable(),
  componentLotId: z.string().nullable(),
  quantity: z.string(),
  runId: z.string().nullable(),
  installedAt: z.iso.datetime(),
  removedAt: z.iso.datetime().nullable(),
  removalReason: z.string().nullable(),
});

/** A gate was defined. */
export const qcGateCreatedPayload = z.object({ gateId: z.string(), name: z.string(), blocking: z.boolean() });

/** A gate as it is after an update or a deactivation; `changed` names the fields an update changed. */
export const qcGateChangedPayload = z.object({
  gateId: z.string(),
  name: z.string(),
  blocking: z.boolean(),
  active: z.boolean(),
  changed: z.array(z.string()),
});

/** A QC decision; `holdId` is the root hold a HOLD or FAIL placed (null for a PASS). */
export const qcDecisionRecordedPayload = z.object({
  decisionId: z.string(),
  gateId: z.string(),
  runId: z.string().nullable(),
  lotId: z.string().nullable(),
  /** The run's line, for a decision on a run (absent in older events). */
  lineId: z.string().nullable().optional(),
  result: z.enum(["PASS", "HOLD", "FAIL"]),
  holdId: z.string().nullable(),
});

/**
 * A hold placed on or released from one lot. `causeId` is the root hold of a propagated hold
 * (null on a root); `decisionId` the decision that placed it, if any (placed only).
 */
export const holdChangedPayload = z.object({
  holdId: z.string(),
  lotId: z.string(),
  causeId: z.string().nullable(),
  decisionId: z.string().nullable().optional(),
  /** The id inventory knows the hold by (its root's, or its supplier hold's); absent in older events. */
  placementId: z.string().optional(),
  /** The standing supplier hold it belongs to; absent in older events. */
  supplierHoldId: z.string().nullable().optional(),
  reason: z.string(),
});

/** A nonconformance opened, given a disposition or closed. */
export const nonConformanceChangedPayload = z.object({
  nonConformanceId: z.string(),
  lotId: z.string().nullable(),
  status: z.enum(["OPEN", "CLOSED"]),
  disposition: z.enum(["USE_AS_IS", "REWORK", "SCRAP", "RETURN_TO_SUPPLIER"]).nullable(),
});

/** Identity's events carry only their entity (a user, a service account): nothing else is public. */
export const identityEntityPayload = z.object({});

/** A bulk import job's progress (entity ImportJob): `importProgress(importJobId)` reads the job itself. */
export const importProgressedPayload = z.object({
  status: z.enum(["QUEUED", "VALIDATING", "RUNNING", "SUCCEEDED", "FAILED"]),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
});

/** A recall case or drill opened, told a customer, or closed (entity RecallCase). */
export const recallCaseChangedPayload = z.object({
  recallCaseId: z.string(),
  number: z.string(),
  drill: z.boolean(),
  status: z.enum(["OPEN", "CLOSED"]),
  sourceLotId: z.string().nullable(),
  supplierLotCode: z.string().nullable(),
  /** The customer told (noticeRecorded only). */
  customerId: z.string().nullable().optional(),
});
