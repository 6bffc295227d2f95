import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  qcGates: (_parent, { active, updatedSince }, { quality, principal }) =>
    quality.gates.gates(principal, { active, updatedSince }),
  qcGate: (_parent, { id }, { quality, principal }) => quality.gates.gate(principal, id),
  qcDecision: (_parent, { id }, { quality, principal }) => quality.decisions.decision(principal, id),
  qcDecisions: (_parent, { gateId, first, after, updatedSince }, { quality, principal }) =>
    quality.decisions.decisions(principal, gateId ?? null, { first, after }, updatedSince ?? null),
  hold: (_parent, { id }, { quality, principal }) => quality.holds.findHold(principal, id),
  holds: (_parent, { activeOnly, first, after, updatedSince }, { quality, principal }) =>
    quality.holds.holds(principal, activeOnly ?? true, { first, after }, updatedSince ?? null),
  supplierHold: (_parent, { id }, { quality, principal }) => quality.supplierHolds.supplierHold(principal, id),
  supplierHolds: (_parent, { activeOnly, first, after, updatedSince }, { quality, principal }) =>
    quality.supplierHolds.supplierHolds(principal, activeOnly ?? true, { first, after }, updatedSince ?? null),
  nonConformance: (_parent, { id }, { quality, principal }) => quality.nonConformances.nonConformance(principal, id),
  nonConformances: (_parent, { status, first, after, updatedSince }, { quality, principal }) =>
    quality.nonConformances.list(principal, status ?? null, { first, after }, updatedSince ?? null),
  characteristicStatistics: (_parent, args, { quality, principal }) => quality.decisions.statistics(principal, args),
  gateStatus: (_parent, { runId, gateId }, { quality, principal }) =>
    quality.gates.gateStatus(principal, runId, gateId),
  qualityEvidence: (_parent, request, { quality, principal }) => quality.evidence.evidence(principal, request),
};
