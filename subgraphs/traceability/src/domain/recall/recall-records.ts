import type { ExposureView } from "../exposure/exposure-views.ts";
import type { ReconciliationView } from "./reconciliation-views.ts";

export type RecallCaseStatus = "OPEN" | "CLOSED";

/** NONE for a drill; PENDING until quality has placed the holds; PLACED after. */
export type Containment = "NONE" | "PENDING" | "PLACED";

/** A recall case or drill as stored (recall_case). */
export interface RecallCaseRecord {
  id: string;
  number: string;
  drill: boolean;
  status: RecallCaseStatus;
  reason: string;
  sourceLotId: string | null;
  supplierLotCode: string | null;
  openedAt: Date;
  openedById: string;
  openedByName: string;
  answeredInMs: number;
  containment: Containment;
  holdIds: string[];
  supplierHoldIds: string[];
  closedAt: Date | null;
  closedById: string | null;
  closedByName: string | null;
  closeReason: string | null;
  signerName: string | null;
  signedAt: Date | null;
  signatureMeaning: string | null;
}

export interface RecallNoticeRecord {
  id: string;
  caseId: string;
  customerId: string;
  notifiedAt: Date;
  acknowledgedAt: Date | null;
  note: string;
  recordedAt: Date;
  recordedById: string;
  recordedByName: string;
}

/** A case's affected lots: those frozen at opening, and those the genealogy shows since. */
export interface RecallScopeView {
  lots: Array<{ lot: { id: string }; frozen: boolean; createdAt: Date | null }>;
  frozenCount: number;
  foundLaterCount: number;
  finishedLots: Array<{ id: string }>;
  onHand: Array<{ id: string }>;
  shipments: Array<{ id: string }>;
}

export type RecallActionKind = "NOTIFY_CUSTOMER" | "AWAIT_ACKNOWLEDGEMENT" | "RECOVER_ON_HAND" | "RECONCILE";

export interface RecallActionView {
  kind: RecallActionKind;
  description: string;
  customer: { id: string } | null;
  lot: { id: string } | null;
}

/** Everything a case shows beside its record, computed from the genealogy and inventory now. */
export interface RecallAnswer {
  scope: RecallScopeView;
  exposure: ExposureView;
  reconciliation: ReconciliationView;
}

/** What opening a case needs from the rest of the system (ports; adapters in src/). */
export interface RecallAnswerSources {
  /** Exposure of the source lots (decision 0023). */
  exposure(sourceLotIds: readonly string[]): Promise<ExposureView>;
  /** Reconciliation of the source lots from inventory's ledger now. */
  reconciliation(sourceLotIds: readonly string[]): Promise<ReconciliationView>;
}

/** Quality's internal placeRecallContainment: holds in the opener's name, idempotent by case. */
export interface ContainmentRequest {
  recallCaseId: string;
  caseNumber: string;
  lotId: string | null;
  supplierLotCode: string | null;
  supplierIds: string[] | null;
  reason: string;
  openedBy: { id: string; name: string };
}

export interface ContainmentPort {
  placeRecallContainment(
    request: ContainmentRequest,
    requestId: string,
  ): Promise<{ holdIds: string[]; supplierHoldIds: string[] }>;
}

/** Identity's signature check (the signer's own password), as quality uses it. */
export interface SignaturePort {
  verifySignature(
    userId: string,
    password: string,
    requestId: string,
  ): Promise<{ signer: { id: string; name: string } | null; lockedUntil: Date | null }>;
}
