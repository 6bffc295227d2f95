/** Quality's records as the domain and resolvers see them. */
export type QualityStatus = "PENDING" | "PASSED" | "ON_HOLD" | "REJECTED";
export type QcResult = "PASS" | "HOLD" | "FAIL";
export type Disposition = "USE_AS_IS" | "REWORK" | "SCRAP" | "RETURN_TO_SUPPLIER";
export type NonConformanceStatus = "OPEN" | "CLOSED";

/** A lot owned by inventory, referenced by key. */
export interface LotRef {
  id: string;
}

/** What a lot's quality status is derived from (see `qualityStatusOf`). */
export interface LotQualityFacts {
  /** A hold on the lot that has not been released. */
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
  createdAt: Date;
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
  holdId: string | null;
  measurements: MeasurementRecord[];
}

export interface HoldRecord {
  id: string;
  lotId: string;
  reason: string;
  /** The root hold of a propagated hold; null on a root. */
  causeId: string | null;
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

/** The id inventory knows a hold by: the root's, for a root and every hold propagated from it. */
export const inventoryHoldId = (hold: Pick<HoldRecord, "id" | "causeId">): string => hold.causeId ?? hold.id;

/** `NCR-000042`: what people say and print; the id stays the key. */
export function formatNonConformanceNumber(sequence: number): string {
  return `NCR-${String(sequence).padStart(6, "0")}`;
}
