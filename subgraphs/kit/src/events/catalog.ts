import { z } from "zod";

/**
 * The event catalogue: every subject a subgraph publishes and the payload consumers may rely
 * on. Consumers parse payloads with these schemas before use; events carry keys and the few
 * facts projections need, never whole entities.
 */
export const SUBJECTS = {
  identity: {
    userCreated: "lotgraph.identity.user.created",
    serviceAccountCreated: "lotgraph.identity.serviceAccount.created",
  },
  inventory: {
    materialCreated: "lotgraph.inventory.material.created",
    locationCreated: "lotgraph.inventory.location.created",
    partyCreated: "lotgraph.inventory.party.created",
    lotReceived: "lotgraph.inventory.lot.received",
    lotMoved: "lotgraph.inventory.lot.moved",
    lotAdjusted: "lotgraph.inventory.lot.adjusted",
    lotScrapped: "lotgraph.inventory.lot.scrapped",
    lotConsumed: "lotgraph.inventory.lot.consumed",
    lotProduced: "lotgraph.inventory.lot.produced",
    /** One per shipped lot (entity Lot), so lot-keyed consumers need not read shipments. */
    lotShipped: "lotgraph.inventory.lot.shipped",
    /** One per shipment (entity Shipment), with all its lines. */
    shipmentCreated: "lotgraph.inventory.shipment.created",
    /** A quality hold was recorded on a lot (one per lot; `setLotHold`). */
    lotHeld: "lotgraph.inventory.lot.held",
    /** A quality hold was released on a lot (one per lot; `clearLotHold`). */
    lotReleased: "lotgraph.inventory.lot.released",
    /**
     * What a lot waits for before use changed (positive release: incoming inspection, a
     * rejection, a run's blocking gate), so it became QUARANTINE or was released for use.
     */
    lotReleaseChanged: "lotgraph.inventory.lot.releaseChanged",
  },
  production: {
    lineCreated: "lotgraph.production.line.created",
    workOrderCreated: "lotgraph.production.workOrder.created",
    workOrderReleased: "lotgraph.production.workOrder.released",
    workOrderStarted: "lotgraph.production.workOrder.started",
    workOrderCompleted: "lotgraph.production.workOrder.completed",
    workOrderCancelled: "lotgraph.production.workOrder.cancelled",
    runStarted: "lotgraph.production.run.started",
    runPhaseAdvanced: "lotgraph.production.run.phaseAdvanced",
    runCompleted: "lotgraph.production.run.completed",
    runCancelled: "lotgraph.production.run.cancelled",
    consumptionRecorded: "lotgraph.production.consumption.recorded",
    outputRecorded: "lotgraph.production.output.recorded",
    componentInstalled: "lotgraph.production.component.installed",
    componentRemoved: "lotgraph.production.component.removed",
  },
  quality: {
    gateCreated: "lotgraph.quality.gate.created",
    /** One per decision (entity QcDecision); `qcDecisionRecorded(gateId)` filters on gateId. */
    decisionRecorded: "lotgraph.quality.decision.recorded",
    /** One per held lot (entity Hold): a propagated placement publishes one per descendant. */
    holdPlaced: "lotgraph.quality.hold.placed",
    /** One per released hold (entity Hold). */
    holdReleased: "lotgraph.quality.hold.released",
    nonConformanceOpened: "lotgraph.quality.nonConformance.opened",
    nonConformanceDispositioned: "lotgraph.quality.nonConformance.dispositioned",
    nonConformanceClosed: "lotgraph.quality.nonConformance.closed",
  },
} as const;

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
export type MaterialCreatedPayload = z.infer<typeof materialCreatedPayload>;

export const locationCreatedPayload = z.object({
  code: z.string().optional(),
  name: z.string().optional(),
  kind: z.enum(["SITE", "AREA", "LINE", "BIN"]).optional(),
  /** null for a site (the root of the tree); absent when not known. */
  parentId: z.string().nullable().optional(),
});
export type LocationCreatedPayload = z.infer<typeof locationCreatedPayload>;

export const partyCreatedPayload = z.object({
  code: z.string().optional(),
  name: z.string().optional(),
  kind: z.enum(["SUPPLIER", "CUSTOMER"]).optional(),
});
export type PartyCreatedPayload = z.infer<typeof partyCreatedPayload>;

export const lineCreatedPayload = z.object({
  lineId: z.string(),
  code: z.string(),
  name: z.string().optional(),
});
export type LineCreatedPayload = z.infer<typeof lineCreatedPayload>;

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
export type LotReceivedPayload = z.infer<typeof lotReceivedPayload>;

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
export type LotMovedPayload = z.infer<typeof lotMovedPayload>;

export const lotAdjustedPayload = z.object({ ...lotChange, delta: z.string(), reason: z.string() });
export type LotAdjustedPayload = z.infer<typeof lotAdjustedPayload>;

export const lotScrappedPayload = z.object({ ...lotChange, quantity: z.string(), reason: z.string() });
export type LotScrappedPayload = z.infer<typeof lotScrappedPayload>;

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
export type LotConsumedPayload = z.infer<typeof lotConsumedPayload>;

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
export type LotProducedPayload = z.infer<typeof lotProducedPayload>;

export const lotShippedPayload = z.object({
  ...lotChange,
  shipmentId: z.string(),
  customerId: z.string(),
  quantity: z.string(),
  /** Where the lot was when it shipped (the ship-from location); absent in older events. */
  locationId: z.string().nullable().optional(),
});
export type LotShippedPayload = z.infer<typeof lotShippedPayload>;

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
export type LotHoldChangedPayload = z.infer<typeof lotHoldChangedPayload>;

/** What a lot waits for before use changed; `pending` is the full list after the change. */
export const lotReleaseChangedPayload = z.object({
  lotId: z.string(),
  materialId: z.string(),
  status: lotStatus,
  previousStatus: lotStatus,
  pending: z.array(z.string()),
  reason: z.string(),
});
export type LotReleaseChangedPayload = z.infer<typeof lotReleaseChangedPayload>;

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
export type ShipmentCreatedPayload = z.infer<typeof shipmentCreatedPayload>;

/** Work order events (created, released, started, completed, cancelled): keys for the live layer. */
export const workOrderChangedPayload = z.object({
  workOrderId: z.string(),
  lineId: z.string().nullable(),
  status: z.enum(["PLANNED", "RELEASED", "IN_PROGRESS", "COMPLETED", "CANCELLED"]),
});
export type WorkOrderChangedPayload = z.infer<typeof workOrderChangedPayload>;

/** Run events (started, phaseAdvanced, completed, cancelled): keys `runChanged(runId, lineId)` filters on. */
export const runChangedPayload = z.object({
  runId: z.string(),
  workOrderId: z.string(),
  lineId: z.string().nullable(),
  status: z.enum(["IN_PROGRESS", "COMPLETED", "CANCELLED"]),
  /** Sequence of the phase the run is in; null once it has ended. */
  currentPhase: z.number().int().nullable(),
});
export type RunChangedPayload = z.infer<typeof runChangedPayload>;

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
export type ConsumptionRecordedPayload = z.infer<typeof consumptionRecordedPayload>;

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
export type OutputRecordedPayload = z.infer<typeof outputRecordedPayload>;

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
export type ComponentInstallationPayload = z.infer<typeof componentInstallationPayload>;

/** A gate was defined. */
export const qcGateCreatedPayload = z.object({ gateId: z.string(), name: z.string(), blocking: z.boolean() });
export type QcGateCreatedPayload = z.infer<typeof qcGateCreatedPayload>;

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
export type QcDecisionRecordedPayload = z.infer<typeof qcDecisionRecordedPayload>;

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
export type HoldChangedPayload = z.infer<typeof holdChangedPayload>;

/** A nonconformance opened, given a disposition or closed. */
export const nonConformanceChangedPayload = z.object({
  nonConformanceId: z.string(),
  lotId: z.string().nullable(),
  status: z.enum(["OPEN", "CLOSED"]),
  disposition: z.enum(["USE_AS_IS", "REWORK", "SCRAP", "RETURN_TO_SUPPLIER"]).nullable(),
});
export type NonConformanceChangedPayload = z.infer<typeof nonConformanceChangedPayload>;
