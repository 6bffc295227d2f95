import { badInput, isUuid, requireInternal, type Principal } from "@lotgraph/kit";
import { readEvidence, type EvidenceRecords, type EvidenceRequest } from "../store/evidence-store.ts";
import type { QualityDeps } from "./common.ts";

/** The most ids one evidence request may name, all lists together. */
const MAX_EVIDENCE_IDS = 100_000;

/**
 * What quality contributes to a recall case's evidence bundle (traceability builds it): the QC
 * decisions with who decided, the holds with their release signatures, the supplier holds.
 * Internal: traceability asks with its service token.
 */
export class EvidenceService {
  constructor(private readonly deps: Pick<QualityDeps, "db">) {}

  async evidence(caller: Principal | null, request: EvidenceRequest): Promise<EvidenceRecords> {
    requireInternal(caller);
    const lists = Object.entries(request) as Array<[keyof EvidenceRequest, readonly string[]]>;
    if (lists.reduce((n, [, ids]) => n + ids.length, 0) > MAX_EVIDENCE_IDS)
      throw badInput("lotIds", `at most ${MAX_EVIDENCE_IDS} ids in one request`);
    for (const [field, ids] of lists) {
      const bad = ids.find((id) => !isUuid(id));
      if (bad !== undefined) throw badInput(field, `${field} holds ${JSON.stringify(bad.slice(0, 60))}, not an id`);
    }
    return readEvidence(this.deps.db.client, request);
  }
}
