import {
  SubgraphClient,
  readAuditEvidence,
  type AuditEntityRef,
  type AuditEvidence,
  type SqlDriver,
  type SubgraphDeps,
  type SubgraphName,
} from "@lotgraph/kit";
import { AUDITED_SUBGRAPHS } from "./domain/audit/audit-trail.ts";
import type {
  AuditEvidenceSource,
  AuditEvidenceSources,
  QualityEvidence,
  QualityEvidenceSource,
} from "./domain/evidence/evidence-ports.ts";

/** A whole chain is read and hashed for one bundle: more than the usual 10 s on a long log. */
const EVIDENCE_TIMEOUT_MS = 120_000;

const AUDIT_EVIDENCE = `query AuditEvidence($entities: [AuditEntityRef!]!) {
  auditEvidence(entities: $entities) {
    length headHash merkleRoot headPath
    entries { seq id at actorId actorName action entityType entityId reason before after prevHash hash path }
  }
}`;

interface WireAuditEvidence {
  length: number;
  headHash: string | null;
  merkleRoot: string;
  headPath: string[];
  entries: Array<{
    seq: number;
    id: string;
    at: string;
    actorId: string;
    actorName: string;
    action: string;
    entityType: string;
    entityId: string;
    reason: string | null;
    before: string | null;
    after: string | null;
    prevHash: string;
    hash: string;
    path: string[];
  }>;
}

/**
 * Where a bundle's audit evidence comes from: this subgraph's own log directly, every other one
 * through the kit's internal `auditEvidence` query (service token).
 */
export function auditEvidenceSources(
  deps: Pick<SubgraphDeps, "tokens" | "peerUrl">,
  own: SqlDriver,
): AuditEvidenceSources {
  return Object.fromEntries(
    AUDITED_SUBGRAPHS.map((name) => [
      name,
      name === "traceability" ? localAuditEvidence(own) : remoteAuditEvidence(client(deps, name)),
    ]),
  ) as AuditEvidenceSources;
}

function localAuditEvidence(driver: SqlDriver): AuditEvidenceSource {
  return { evidence: (entities) => readAuditEvidence(driver, { entities, seqs: [] }) };
}

function remoteAuditEvidence(client: SubgraphClient): AuditEvidenceSource {
  return {
    async evidence(entities: readonly AuditEntityRef[]): Promise<AuditEvidence> {
      const { auditEvidence } = await client.request<{ auditEvidence: WireAuditEvidence }>(AUDIT_EVIDENCE, {
        entities,
      });
      const { entries, ...chain } = auditEvidence;
      return {
        chain,
        entries: entries.map(({ actorId, actorName, before, after, ...entry }) => ({
          ...entry,
          actor: { id: actorId, name: actorName },
          // JSON text back to the values that were hashed (audit-api.ts sends them as text).
          before: before === null ? null : JSON.parse(before),
          after: after === null ? null : JSON.parse(after),
        })),
      };
    },
  };
}

const SIGNATURE = "signature { signerName signedAt meaning }";
const QUALITY_EVIDENCE = `query QualityEvidence($lotIds: [ID!]!, $runIds: [ID!]!, $holdIds: [ID!]!, $supplierHoldIds: [ID!]!) {
  qualityEvidence(lotIds: $lotIds, runIds: $runIds, holdIds: $holdIds, supplierHoldIds: $supplierHoldIds) {
    decisions {
      id result notes decidedAt decidedByName decidedBy { id }
      gate { id name blocking criticalControlPoint }
      lot { id } run { id } line { id } hold { id }
      measurements { characteristic value lower upper withinLimits }
    }
    holds {
      id reason active placedAt placedByName placedBy { id } releasedAt releasedByName releasedBy { id } releaseReason
      lot { id } cause { id } supplierHold { id } decision { id } ${SIGNATURE}
    }
    supplierHolds {
      id supplierLotCode reason active placedAt placedByName placedBy { id } releasedAt releasedByName releasedBy { id }
      releaseReason supplier { id } ${SIGNATURE}
    }
  }
}`;

type QualityRecord = { id: string } & Record<string, unknown>;

/** Quality's records behind a case, through its internal `qualityEvidence` query; references flattened to ids. */
export function qualityEvidenceSource(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">): QualityEvidenceSource {
  const quality = client(deps, "quality");
  return {
    async evidence(request): Promise<QualityEvidence> {
      const { qualityEvidence } = await quality.request<{
        qualityEvidence: Record<keyof QualityEvidence, QualityRecord[]>;
      }>(QUALITY_EVIDENCE, { ...request });
      return {
        decisions: qualityEvidence.decisions.map(flattenRefs),
        holds: qualityEvidence.holds.map(flattenRefs),
        supplierHolds: qualityEvidence.supplierHolds.map(flattenRefs),
      };
    },
  };
}

/** `lot: { id }` → `lotId`, `decidedBy: null` → `decidedById: null`; other values as they are. */
function flattenRefs(record: QualityRecord): QualityRecord {
  const flat: QualityRecord = { id: record.id };
  for (const [key, value] of Object.entries(record)) {
    if (key === "id") continue;
    if (REFERENCES.has(key)) flat[`${key}Id`] = (value as { id: string } | null)?.id ?? null;
    else flat[key] = value;
  }
  return flat;
}

const REFERENCES = new Set([
  "decidedBy",
  "lot",
  "run",
  "line",
  "hold",
  "placedBy",
  "releasedBy",
  "cause",
  "supplierHold",
  "decision",
  "supplier",
]);

function client(deps: Pick<SubgraphDeps, "tokens" | "peerUrl">, name: SubgraphName): SubgraphClient {
  return new SubgraphClient({
    caller: "traceability",
    url: () => deps.peerUrl(name),
    tokens: deps.tokens,
    timeoutMs: EVIDENCE_TIMEOUT_MS,
  });
}
