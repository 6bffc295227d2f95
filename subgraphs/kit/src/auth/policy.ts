import { requireInternal, requireRole } from "./guard.ts";
import type { Role } from "./roles.ts";
import type { Principal } from "./tokens.ts";

/**
 * Who may call a root field: `anyone` (a token is not needed), `internal` (only another Lotgraph
 * service; @inaccessible at the gateway), or the roles that may, each with the broader roles that
 * include it (roles.ts: ADMIN includes all, MANAGER includes OPERATOR, every role VIEWER).
 */
export type Access = "anyone" | "internal" | readonly Role[];

const SIGNED_IN = ["VIEWER"] as const;
const AUDIT = ["AUDITOR"] as const;
const FLOOR = ["OPERATOR"] as const;
const MANAGE = ["MANAGER"] as const;
const ADMINISTER = ["ADMIN"] as const;

/**
 * The one table of who may call what, for every query and mutation of every subgraph
 * (docs/decisions/0020). Each subgraph refuses a call the table does not allow before its
 * resolver runs (subgraph-server.ts), and a subgraph whose schema has a root field missing here
 * does not start. `tests/e2e/policy-matrix.test.ts` calls every operation of the API as every
 * role and without a token, and compares the answers with this table.
 */
export const POLICY: Readonly<Record<string, Access>> = {
  // identity
  "Query.me": "anyone",
  "Query.user": AUDIT,
  "Query.users": AUDIT,
  "Query.serviceAccounts": AUDIT,
  "Mutation.login": "anyone",
  "Mutation.createUser": ADMINISTER,
  "Mutation.updateUser": ADMINISTER,
  "Mutation.deactivateUser": ADMINISTER,
  "Mutation.changePassword": SIGNED_IN,
  "Mutation.createServiceAccount": ADMINISTER,
  "Mutation.rotateServiceAccountToken": ADMINISTER,
  "Mutation.revokeServiceAccount": ADMINISTER,
  "Mutation.syncCredentials": "internal",
  "Mutation.verifySignature": "internal",

  // inventory
  "Query.material": SIGNED_IN,
  "Query.materials": SIGNED_IN,
  "Query.location": SIGNED_IN,
  "Query.locations": SIGNED_IN,
  "Query.party": SIGNED_IN,
  "Query.parties": SIGNED_IN,
  "Query.lot": SIGNED_IN,
  "Query.lots": SIGNED_IN,
  "Query.serialUnit": SIGNED_IN,
  "Query.shipment": SIGNED_IN,
  "Query.shipments": SIGNED_IN,
  "Query.stockMovements": SIGNED_IN,
  "Query.lotFacts": "internal",
  "Query.lotLedgerTotals": "internal",
  "Mutation.createMaterial": MANAGE,
  "Mutation.createLocation": MANAGE,
  "Mutation.createParty": MANAGE,
  "Mutation.updateMaterial": MANAGE,
  "Mutation.updateLocation": MANAGE,
  "Mutation.updateParty": MANAGE,
  "Mutation.deactivateMaterial": MANAGE,
  "Mutation.deactivateLocation": MANAGE,
  "Mutation.deactivateParty": MANAGE,
  "Mutation.setLotExternalRef": FLOOR,
  "Mutation.receiveLot": FLOOR,
  "Mutation.moveLot": FLOOR,
  "Mutation.adjustLot": MANAGE,
  "Mutation.scrapLot": MANAGE,
  "Mutation.shipLots": FLOOR,
  "Mutation.consumeFromLot": "internal",
  "Mutation.produceLot": "internal",
  "Mutation.setLotHold": "internal",
  "Mutation.clearLotHold": "internal",
  "Mutation.setSupplierHold": "internal",
  "Mutation.applyQcDecision": "internal",
  "Mutation.releaseLotForUse": "internal",
  "Mutation.scrapLotInternal": "internal",

  // production
  "Query.lines": SIGNED_IN,
  "Query.line": SIGNED_IN,
  "Query.workOrder": SIGNED_IN,
  "Query.workOrders": SIGNED_IN,
  "Query.run": SIGNED_IN,
  "Query.runs": SIGNED_IN,
  "Query.installations": SIGNED_IN,
  "Query.massBalance": SIGNED_IN,
  "Query.runGateContext": "internal",
  "Query.lotOutputContext": "internal",
  "Query.lineOutputLots": "internal",
  "Query.gateRunsInProgress": "internal",
  "Mutation.createLine": MANAGE,
  "Mutation.updateLine": MANAGE,
  "Mutation.deactivateLine": MANAGE,
  "Mutation.createWorkOrder": MANAGE,
  "Mutation.releaseWorkOrder": MANAGE,
  "Mutation.cancelWorkOrder": MANAGE,
  "Mutation.startRun": FLOOR,
  "Mutation.advancePhase": FLOOR,
  "Mutation.consumeLot": FLOOR,
  "Mutation.recordOutput": FLOOR,
  "Mutation.completeRun": FLOOR,
  "Mutation.cancelRun": MANAGE,
  "Mutation.installComponent": FLOOR,
  "Mutation.removeComponent": FLOOR,

  // quality
  "Query.qcGate": SIGNED_IN,
  "Query.qcGates": SIGNED_IN,
  "Query.qcDecision": SIGNED_IN,
  "Query.qcDecisions": SIGNED_IN,
  "Query.hold": SIGNED_IN,
  "Query.holds": SIGNED_IN,
  "Query.supplierHold": SIGNED_IN,
  "Query.supplierHolds": SIGNED_IN,
  "Query.nonConformance": SIGNED_IN,
  "Query.nonConformances": SIGNED_IN,
  "Query.characteristicStatistics": SIGNED_IN,
  "Query.gateStatus": "internal",
  "Mutation.createQcGate": MANAGE,
  "Mutation.updateQcGate": MANAGE,
  "Mutation.deactivateQcGate": MANAGE,
  "Mutation.recordQcDecision": FLOOR,
  "Mutation.placeHold": MANAGE,
  "Mutation.placeLineHold": MANAGE,
  "Mutation.releaseHold": MANAGE,
  "Mutation.placeSupplierHold": MANAGE,
  "Mutation.releaseSupplierHold": MANAGE,
  "Mutation.openNonConformance": FLOOR,
  "Mutation.setDisposition": MANAGE,
  "Mutation.closeNonConformance": MANAGE,
  "Mutation.recordAutomaticHolds": "internal",
  "Mutation.placeRecallContainment": "internal",

  // traceability
  "Query.trace": SIGNED_IN,
  "Query.recall": SIGNED_IN,
  // read-only like recall: how much of a source each lot and customer holds (issue 21)
  "Query.exposure": SIGNED_IN,
  "Query.epcisDocument": ["MANAGER", "AUDITOR"],
  // recall cases (issue 21): customers and notices are for the people who run a recall and audit it
  "Query.recallCase": ["MANAGER", "AUDITOR"],
  "Query.recallCases": ["MANAGER", "AUDITOR"],
  "Mutation.openRecall": MANAGE,
  "Mutation.recordRecallNotice": MANAGE,
  "Mutation.closeRecall": MANAGE,

  "Query.auditTrail": AUDIT,
  "Query.auditChainStatus": AUDIT,
  "Query.changes": SIGNED_IN,
  "Query.webhooks": AUDIT,
  "Query.webhook": AUDIT,
  "Query.webhookDeliveries": AUDIT,
  "Mutation.createWebhook": ADMINISTER,
  "Mutation.updateWebhook": ADMINISTER,
  "Mutation.deleteWebhook": ADMINISTER,
  "Mutation.redeliverWebhook": ADMINISTER,

  // every subgraph (kit/audit.graphql): its audit log, read for traceability's auditTrail
  "Query.auditLog": "internal",
  "Query.auditChain": "internal",
  // every subgraph (kit/changes.graphql): its change history, read for traceability's changes and webhooks
  "Query.outboxChanges": "internal",
  "Query.outboxChangeCount": "internal",

  // inventory: bulk import (issue 20). Only managers start imports, so "who started it or a
  // manager" is the managers.
  "Mutation.startImport": MANAGE,
  "Query.importJob": MANAGE,
  "Query.importJobs": MANAGE,
};

/** The access a root field is declared with; throws for one the table lacks (a subgraph must not start). */
export function accessOf(type: string, field: string): Access {
  const access = POLICY[`${type}.${field}`];
  if (!access) throw new Error(`${type}.${field} has no entry in the access policy (subgraphs/kit/src/auth/policy.ts)`);
  return access;
}

/** Refuses `principal` unless `access` admits it: UNAUTHENTICATED without a token, FORBIDDEN otherwise. */
export function enforceAccess(access: Access, principal: Principal | null): void {
  if (access === "anyone") return;
  if (access === "internal") {
    requireInternal(principal);
    return;
  }
  requireRole(principal, ...access);
}
