/**
 * Every subject a subgraph publishes. Each one's payload schema is in catalog.ts; events carry
 * keys and the few facts projections need, never whole entities.
 */
export const SUBJECTS = {
  identity: {
    userCreated: "lotgraph.identity.user.created",
    userUpdated: "lotgraph.identity.user.updated",
    userDeactivated: "lotgraph.identity.user.deactivated",
    serviceAccountCreated: "lotgraph.identity.serviceAccount.created",
    serviceAccountRotated: "lotgraph.identity.serviceAccount.rotated",
    serviceAccountRevoked: "lotgraph.identity.serviceAccount.revoked",
  },
  inventory: {
    materialCreated: "lotgraph.inventory.material.created",
    locationCreated: "lotgraph.inventory.location.created",
    partyCreated: "lotgraph.inventory.party.created",
    /** Master data changed (updateMaterial …): the current facts and the names of the fields that changed. */
    materialUpdated: "lotgraph.inventory.material.updated",
    locationUpdated: "lotgraph.inventory.location.updated",
    partyUpdated: "lotgraph.inventory.party.updated",
    /** Master data deactivated: no new write may use it. */
    materialDeactivated: "lotgraph.inventory.material.deactivated",
    locationDeactivated: "lotgraph.inventory.location.deactivated",
    partyDeactivated: "lotgraph.inventory.party.deactivated",
    /** The ERP's key of a lot was set or cleared (`setLotExternalRef`). */
    lotExternalRefSet: "lotgraph.inventory.lot.externalRefSet",
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
    /** A bulk import job moved on (status or rows processed); at most a few per second per job. */
    importProgressed: "lotgraph.inventory.import.progressed",
  },
  production: {
    lineCreated: "lotgraph.production.line.created",
    lineUpdated: "lotgraph.production.line.updated",
    /** The line takes no new work from now on (entity Line); its history stays. */
    lineDeactivated: "lotgraph.production.line.deactivated",
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
    gateUpdated: "lotgraph.quality.gate.updated",
    /** No new plan or unrelated decision may use the gate (entity QcGate); it still blocks runs planned on it. */
    gateDeactivated: "lotgraph.quality.gate.deactivated",
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
  traceability: {
    /** A recall case or drill was opened (entity RecallCase). */
    recallOpened: "lotgraph.traceability.recall.opened",
    /** A customer's recall notice was recorded on a case. */
    recallNoticeRecorded: "lotgraph.traceability.recall.noticeRecorded",
    /** A recall case or drill was closed with a signature. */
    recallClosed: "lotgraph.traceability.recall.closed",
  },
} as const;
