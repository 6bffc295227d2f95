import { DateTimeScalar } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";
import { Hold, NonConformance, QcDecision, QcGate, SupplierHold } from "./entities.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  QcGate,
  QcDecision,
  Hold,
  SupplierHold,
  NonConformance,
  Measurement: {
    withinLimits: (m) => m.value >= m.lower && m.value <= m.upper,
  },
  CharacteristicStatistics: {
    gate: (view) => view.gate,
  },
  RunGateStatus: {
    gate: async (view, _args, { loaders }) => {
      const gate = await loaders.gate.load(view.gateId);
      if (!gate) throw new Error(`decision references missing gate ${view.gateId}`);
      return gate;
    },
  },
  Lot: {
    __resolveReference: (ref) => ({ id: ref.id, status: ref.status ?? null }),
    qualityStatus: (lot, _args, { quality, principal }) =>
      quality.lots.qualityStatus(principal, lot.id, lot.status ?? null),
    holds: (lot, _args, { quality, principal }) => quality.lots.holds(principal, lot.id),
    decisions: (lot, _args, { quality, principal }) => quality.lots.decisions(principal, lot.id),
  },
  ProductionRun: {
    __resolveReference: (ref) => ({ id: ref.id }),
    gates: (run, _args, { quality, principal }) => quality.lots.runGates(principal, run.id),
  },
};
