import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

const lots = (ids: readonly string[]) => ids.map((id) => ({ id }));

export const Mutation: MutationResolvers = {
  createQcGate: async (_parent, { input }, { quality, principal }) => ({
    gate: await quality.gates.createQcGate(principal, input),
  }),
  updateQcGate: async (_parent, { input }, { quality, principal, requestId }) => ({
    gate: await quality.gates.updateQcGate(principal, input, requestId),
  }),
  deactivateQcGate: async (_parent, { input }, { quality, principal }) => ({
    gate: await quality.gates.deactivateQcGate(principal, input),
  }),
  recordQcDecision: async (_parent, { input }, { quality, principal, requestId }) => {
    const recorded = await quality.decisions.recordQcDecision(principal, input, requestId);
    return { decision: recorded.decision, affectedLots: lots(recorded.affectedLotIds) };
  },
  placeHold: async (_parent, { input }, { quality, principal, requestId }) => {
    const placed = await quality.holds.placeHold(principal, input, requestId);
    return { holds: placed.holds, affectedLots: lots(placed.affectedLotIds), shippedLots: lots(placed.shippedLotIds) };
  },
  releaseHold: async (_parent, { input }, { quality, principal, requestId }) => {
    const released = await quality.holds.releaseHold(principal, input, requestId);
    const [hold] = released;
    if (!hold) throw new Error("a release returned no hold");
    return { hold, released };
  },
  placeSupplierHold: async (_parent, { input }, { quality, principal, requestId }) => {
    const placed = await quality.supplierHolds.place(principal, input, requestId);
    return { supplierHold: placed.supplierHold, holds: placed.holds, affectedLots: lots(placed.affectedLotIds) };
  },
  releaseSupplierHold: async (_parent, { input }, { quality, principal, requestId }) => ({
    supplierHold: await quality.supplierHolds.release(principal, input, requestId),
  }),
  placeLineHold: async (_parent, { input }, { quality, principal, requestId }) => {
    const placed = await quality.lineHolds.place(principal, input, requestId);
    return { holds: placed.holds, affectedLots: lots(placed.affectedLotIds), since: placed.since };
  },
  recordAutomaticHolds: async (_parent, { input }, { quality, principal }) => ({
    holds: await quality.automaticHolds.record(principal, input),
  }),
  placeRecallContainment: async (_parent, { input }, { quality, principal, requestId }) =>
    quality.recallContainment.place(principal, input, requestId),
  openNonConformance: async (_parent, { input }, { quality, principal }) => ({
    nonConformance: await quality.nonConformances.open(principal, input),
  }),
  setDisposition: async (_parent, { input }, { quality, principal, requestId }) => ({
    nonConformance: await quality.nonConformances.setDisposition(principal, input, requestId),
  }),
  closeNonConformance: async (_parent, { input }, { quality, principal, requestId }) => ({
    nonConformance: await quality.nonConformances.close(principal, input, requestId),
  }),
};
