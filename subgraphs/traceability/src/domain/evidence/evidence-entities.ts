import type { AuditEntityRef } from "@lotgraph/kit";
import type { AuditedSubgraph } from "../audit/audit-trail.ts";
import type { TraceFacts } from "../exports/facts.ts";
import type { EvidenceCase, QualityEvidence } from "./evidence-ports.ts";
import type { CaseScope } from "./evidence-scope.ts";

/**
 * The audit entries behind a case's bundle, per subgraph: traceability's about the case (its
 * opening, notices and closing); inventory's about every lot in scope and the shipments that
 * carried them; production's about the runs that made or used them; quality's about the case's
 * containment, the decisions, holds and supplier holds. Identity's log is not asked: its entries
 * are about people.
 */
export function evidenceEntities(
  recallCase: EvidenceCase,
  scope: CaseScope,
  facts: Pick<TraceFacts, "shipments" | "transformations">,
  quality: QualityEvidence,
): Partial<Record<AuditedSubgraph, AuditEntityRef[]>> {
  const refs = (entityType: string, ids: Iterable<string>) =>
    [...new Set(ids)].map((entityId): AuditEntityRef => ({ entityType, entityId }));
  return {
    traceability: refs("RecallCase", [recallCase.id]),
    inventory: [
      ...refs("Lot", scope.lotIds),
      ...refs(
        "Shipment",
        facts.shipments.map((shipment) => shipment.shipmentId),
      ),
    ],
    production: refs(
      "ProductionRun",
      facts.transformations.map((run) => run.runId),
    ),
    quality: [
      ...refs("RecallCase", [recallCase.id]),
      ...refs(
        "QcDecision",
        quality.decisions.map((decision) => decision.id),
      ),
      ...refs(
        "Hold",
        quality.holds.map((hold) => hold.id),
      ),
      ...refs(
        "SupplierHold",
        quality.supplierHolds.map((hold) => hold.id),
      ),
    ],
  };
}
