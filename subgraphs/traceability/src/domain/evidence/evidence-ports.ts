import type { AuditEntityRef, AuditEvidence, SigningKeyPair } from "@lotgraph/kit";
import type { AuditedSubgraph } from "../audit/audit-trail.ts";

/** A recall case as its evidence shows it: the case row, its frozen lots and its notices. */
export interface EvidenceCase {
  id: string;
  number: string;
  drill: boolean;
  status: string;
  reason: string;
  sourceLotId: string | null;
  supplierLotCode: string | null;
  openedAt: Date;
  openedBy: { id: string; name: string };
  containment: string;
  holdIds: string[];
  supplierHoldIds: string[];
  closedAt: Date | null;
  closedBy: { id: string | null; name: string | null } | null;
  closeReason: string | null;
  signature: { signerName: string; signedAt: Date; meaning: string } | null;
  /** The affected set frozen when the case opened. */
  frozenLotIds: string[];
  /** Customers told, oldest first. */
  notices: EvidenceNotice[];
}

export interface EvidenceNotice {
  id: string;
  customerId: string;
  notifiedAt: Date;
  acknowledgedAt: Date | null;
  note: string;
  recordedAt: Date;
  recordedBy: { id: string; name: string };
}

/** Reads a case from traceability's recall tables; null when there is none with that id. */
export interface EvidenceCaseReads {
  findCase(id: string): Promise<EvidenceCase | null>;
}

/** One subgraph's audit log: its chain now, with the entries about these entities proved in it. */
export interface AuditEvidenceSource {
  evidence(entities: readonly AuditEntityRef[]): Promise<AuditEvidence>;
}

export type AuditEvidenceSources = Record<AuditedSubgraph, AuditEvidenceSource>;

/** What quality is asked about: the case's lots, the runs that made or used them, its holds. */
export interface QualityEvidenceRequest {
  lotIds: readonly string[];
  runIds: readonly string[];
  holdIds: readonly string[];
  supplierHoldIds: readonly string[];
}

/** Quality's records as the bundle shows them (JSON as is); ids name their audit entries. */
export interface QualityEvidence {
  decisions: Array<{ id: string } & Record<string, unknown>>;
  holds: Array<{ id: string } & Record<string, unknown>>;
  supplierHolds: Array<{ id: string } & Record<string, unknown>>;
}

export interface QualityEvidenceSource {
  evidence(request: QualityEvidenceRequest): Promise<QualityEvidence>;
}

/** The install's signing key: from the environment, or made on first use and kept. */
export interface SigningKeys {
  current(): Promise<SigningKeyPair>;
}
