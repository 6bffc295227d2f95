import {
  isUuid,
  keyFingerprint,
  notFound,
  packEvidence,
  requireAuthenticated,
  requireRole,
  sealEvidence,
  type AuditEvidence,
  type Principal,
} from "@lotgraph/kit";
import type { GenealogyStore } from "../../genealogy/port/genealogy-store.ts";
import type { AuditedSubgraph } from "../audit/audit-trail.ts";
import type { TraceFacts } from "../exports/facts.ts";
import type { ExportFactsReads } from "../exports/trace-facts.ts";
import { evidenceEntities } from "./evidence-entities.ts";
import { evidenceFiles } from "./evidence-files.ts";
import type { AuditEvidenceSources, EvidenceCaseReads, QualityEvidenceSource, SigningKeys } from "./evidence-ports.ts";
import { caseScope, factsWhenDrilled } from "./evidence-scope.ts";

export interface EvidenceBundlesDeps {
  cases: EvidenceCaseReads;
  genealogy: GenealogyStore;
  facts: ExportFactsReads;
  quality: QualityEvidenceSource;
  audit: AuditEvidenceSources;
  keys: SigningKeys;
  /** The bundle's `createdAt` (tests pin it). */
  now?: () => Date;
}

/** A bundle ready to send. */
export interface EvidenceBundle {
  filename: string;
  zip: Uint8Array;
}

/** The install's public key as an auditor compares it. */
export interface SigningKeyView {
  algorithm: "Ed25519";
  fingerprint: string;
  publicKey: string;
}

/**
 * Evidence bundles of recall cases (decision 0023, docs/evidence-bundle.md): what a case covers,
 * in standard documents and quality's records, with the audit entries behind them proved in
 * their chains, sealed by a manifest the install's key signs. They hand the plant's records to
 * someone outside it, so they need AUDITOR or MANAGER (ADMIN includes both), as the exports do.
 */
export class EvidenceBundles {
  readonly #now: () => Date;

  constructor(private readonly deps: EvidenceBundlesDeps) {
    this.#now = deps.now ?? (() => new Date());
  }

  /** The bundle of one case; NOT_FOUND for an id that names none. */
  async bundle(caller: Principal | null, recallCaseId: string): Promise<EvidenceBundle> {
    requireRole(caller, "AUDITOR", "MANAGER");
    const recallCase = isUuid(recallCaseId) ? await this.deps.cases.findCase(recallCaseId) : null;
    if (!recallCase) throw notFound("RecallCase", recallCaseId);
    const createdAt = this.#now();
    const scope = await caseScope(this.deps.genealogy, recallCase);
    const lotFactsNow = await this.deps.facts.factsOfLots(scope.lotIds);
    const lotFacts = recallCase.drill ? factsWhenDrilled(lotFactsNow, recallCase.openedAt) : lotFactsNow;
    // One downstream document of every lot in scope: several source lots merge into it.
    const facts: TraceFacts = {
      direction: "DOWNSTREAM",
      rootLotId: scope.sourceLotIds[0] ?? scope.lotIds[0] ?? recallCase.id,
      ...lotFacts,
    };
    const quality = await this.deps.quality.evidence({
      lotIds: scope.lotIds,
      runIds: [...new Set(facts.transformations.map((run) => run.runId))],
      holdIds: recallCase.holdIds,
      supplierHoldIds: recallCase.supplierHoldIds,
    });
    // The chains last: every record read above was written with its audit entry, so each one's
    // entry is already in the chain read now.
    const entities = Object.entries(evidenceEntities(recallCase, scope, facts, quality));
    const audit: Record<string, AuditEvidence> = Object.fromEntries(
      await Promise.all(
        entities.map(async ([subgraph, refs]) => [
          subgraph,
          await this.deps.audit[subgraph as AuditedSubgraph].evidence(refs),
        ]),
      ),
    );
    const sealed = sealEvidence(
      {
        recallCase: { id: recallCase.id, number: recallCase.number },
        createdAt,
        files: evidenceFiles({ recallCase, scope, facts, quality, createdAt }),
        audit,
      },
      await this.deps.keys.current(),
    );
    return { filename: `evidence-${safeFilePart(recallCase.number)}.zip`, zip: packEvidence(sealed, createdAt) };
  }

  /** The key bundles are signed with, for anyone signed in to compare with a bundle's. */
  async signingKey(caller: Principal | null): Promise<SigningKeyView> {
    requireAuthenticated(caller);
    const key = await this.deps.keys.current();
    return { algorithm: "Ed25519", fingerprint: keyFingerprint(key.publicKeyPem), publicKey: key.publicKeyPem };
  }
}

/** A case number is ours (RC-2026-0001), but a file name takes a tame subset whatever it holds. */
function safeFilePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "case";
}
