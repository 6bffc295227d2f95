import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  qcGates: (_parent, _args, { quality, principal }) => quality.gates.gates(principal),
  qcGate: (_parent, { id }, { quality, principal, loaders }) => quality.gates.gate(principal, id, loaders),
  qcDecision: (_parent, { id }, { quality, principal, loaders }) => quality.decisions.decision(principal, id, loaders),
  qcDecisions: (_parent, { gateId, first, after }, { quality, principal }) =>
    quality.decisions.decisions(principal, gateId ?? null, { first, after }),
  hold: (_parent, { id }, { quality, principal }) => quality.holds.findHold(principal, id),
  holds: (_parent, { activeOnly, first, after }, { quality, principal }) =>
    quality.holds.holds(principal, activeOnly ?? true, { first, after }),
  supplierHold: (_parent, { id }, { quality, principal }) => quality.supplierHolds.supplierHold(principal, id),
  supplierHolds: (_parent, { activeOnly, first, after }, { quality, principal }) =>
    quality.supplierHolds.supplierHolds(principal, activeOnly ?? true, { first, after }),
  nonConformance: (_parent, { id }, { quality, principal, loaders }) =>
    quality.nonConformances.nonConformance(principal, id, loaders),
  nonConformances: (_parent, { status, first, after }, { quality, principal }) =>
    quality.nonConformances.list(principal, status ?? null, { first, after }),
  characteristicStatistics: (_parent, args, { quality, principal, loaders }) =>
    quality.decisions.statistics(principal, args, loaders),
  gateStatus: (_parent, { runId, gateId }, { quality, principal, loaders }) =>
    quality.gates.gateStatus(principal, runId, gateId, loaders),
};
