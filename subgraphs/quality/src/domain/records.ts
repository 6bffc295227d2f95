/** Quality's records as the domain and resolvers see them. */
export type QualityStatus = "PENDING" | "PASSED" | "ON_HOLD" | "REJECTED";
export type QcResult = "PASS" | "HOLD" | "FAIL";
export type Disposition = "USE_AS_IS" | "REWORK" | "SCRAP" | "RETURN_TO_SUPPLIER";
export type NonConformanceStatus = "OPEN" | "CLOSED";

/** A lot owned by inventory, referenced by key (with its status when the query plan brought it). */
export interface LotRef {
  id: string;
  status?: string | null;
}

/** What a lot's quality status is derived from (see `qualityStatusOf`). */
export interface LotQualityFacts {
  /** A hold on the lot that has not been released (here, or already enforced by inventory). */
  activeHold: boolean;
  /** The result of the lot's latest decision, or null if it has none. */
  latestResult: QcResult | null;
}

/** A production run owned by production, referenced by key. */
export interface RunRef {
  id: string;
}

export interface CharacteristicRecord {
  name: string;
  lower: number;
  upper: number;
  unit: string;
}

export interface GateRecord {
  id: string;
  name: string;
  blocking: boolean;
  criticalControlPoint: boolean;
  /** Whoever recorded an output of the run (or the lot) may not record its PASS at this gate. */
  segregationOfDuties: boolean;
  /** False once deactivated: readable, still blocking the runs planned through it, closed to new use. */
  active: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  createdById: string;
  createdByName: string;
  /** In the order they were defined. */
  characteristics: CharacteristicRecord[];
}

export interface MeasurementRecord {
  characteristic: string;
  value: number;
  lower: number;
  upper: number;
}

export interface DecisionRecord {
  id: string;
  gateId: string;
  runId: string | null;
  lotId: string | null;
  result: QcResult;
  notes: string | null;
  decidedAt: Date;
  decidedById: string;
  decidedByName: string;
  /** The root hold a HOLD or FAIL placed (on the lot, or on the run's outputs). */
  holdId: string | null;
  /** The run's production line, for a decision on a run. */
  lineId: string | null;
  measurements: MeasurementRecord[];
}

export interface HoldRecord {
  id: string;
  lotId: string;
  /**
   * The placement the hold belongs to, the id inventory knows it by: the root hold's id (the
   * root's own id on a root), or the supplier hold's id.
   */
  placementId: string;
  reason: string;
  /** The root hold of a propagated or inherited hold (or the held ancestor's hold); null on a root. */
  causeId: string | null;
  /** The standing supplier hold the hold belongs to, if any. */
  supplierHoldId: string | null;
  decisionId: string | null;
  /** A root placed with propagation (its release releases its propagated holds). */
  propagate: boolean;
  placedAt: Date;
  placedById: string;
  placedByName: string;
  releasedAt: Date | null;
  releasedById: string | null;
  releasedByName: string | null;
  releaseReason: string | null;
  signerName: string | null;
  signedAt: Date | null;
  signatureMeaning: string | null;
}

export interface NonConformanceRecord {
  id: string;
  number: number;
  holdId: string | null;
  decisionId: string | null;
  lotId: string | null;
  description: string;
  owner: string;
  status: NonConformanceStatus;
  disposition: Disposition | null;
  correctiveAction: string | null;
  openedAt: Date;
  openedById: string;
  openedByName: string;
  dispositionedAt: Date | null;
  closedAt: Date | null;
  closedByName: string | null;
  dispositionSignerName: string | null;
  dispositionSignedAt: Date | null;
  dispositionMeaning: string | null;
  closeSignerName: string | null;
  closeSignedAt: Date | null;
  closeMeaning: string | null;
}

export interface StatisticsView {
  gate: GateRecord;
  characteristic: string;
  count: number;
  mean: number | null;
  standardDeviation: number | null;
  lower: number;
  upper: number;
  cp: number | null;
  cpk: number | null;
}

export interface RunGateView {
  gateId: string;
  passed: boolean;
  lastDecision: DecisionRecord;
}

/** Who released something, when, why, and the electronic signature (21 CFR Part 11). */
export interface ReleaseRecord {
  releasedAt: Date;
  releasedById: string;
  releasedByName: string;
  releaseReason: string;
  signerName: string;
  signedAt: Date;
  signatureMeaning: string;
}

/** The release columns of a hold or supplier hold that still stands. */
export const NOT_RELEASED = {
  releasedAt: null,
  releasedById: null,
  releasedByName: null,
  releaseReason: null,
  signerName: null,
  signedAt: null,
  signatureMeaning: null,
} as const;

/** The release a hold or supplier hold was given, or null while it stands. */
export function releaseOf(record: {
  releasedAt: Date | null;
  releasedById: string | null;
  releasedByName: string | null;
  releaseReason: string | null;
  signerName: string | null;
  signedAt: Date | null;
  signatureMeaning: string | null;
}): ReleaseRecord | null {
  if (!record.releasedAt) return null;
  return {
    releasedAt: record.releasedAt,
    releasedById: record.releasedById ?? "",
    releasedByName: record.releasedByName ?? "",
    releaseReason: record.releaseReason ?? "",
    signerName: record.signerName ?? "",
    signedAt: record.signedAt ?? record.releasedAt,
    signatureMeaning: record.signatureMeaning ?? "",
  };
}

/** A standing hold on a supplier lot code (table `supplier_hold`). */
export interface SupplierHoldRecord {
  id: string;
  supplierId: string;
  supplierLotCode: string;
  reason: string;
  placedAt: Date;
  placedById: string;
  placedByName: string;
  releasedAt: Date | null;
  releasedById: string | null;
  releasedByName: string | null;
  releaseReason: string | null;
  signerName: string | null;
  signedAt: Date | null;
  signatureMeaning: string | null;
}

/** A root releases its whole placement; any other hold releases itself only. */
export const isRoot = (hold: Pick<HoldRecord, "id" | "placementId">): boolean => hold.id === hold.placementId;

/** `NCR-000042`: what people say and print; the id stays the key. */
export function formatNonConformanceNumber(sequence: number): string {
  return `NCR-${String(sequence).padStart(6, "0")}`;
}
