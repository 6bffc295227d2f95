import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  trace: (_parent, { lotId, direction, maxDepth }, { traceability, principal }) =>
    traceability.trace(principal, lotId, direction, maxDepth ?? 50),
  recall: (_parent, args, { traceability, principal }) => traceability.recall(principal, args),
  massBalance: (_parent, { runId, tolerancePercent }, { traceability, principal }) =>
    traceability.massBalance(principal, runId, tolerancePercent ?? 2),
  epcisDocument: (_parent, { lotId, direction }, { exports, principal }) =>
    exports.epcisDocument(principal, lotId, direction),
  descendantsOf: (_parent, { lotIds }, { traceability, principal }) => traceability.descendantsOf(principal, lotIds),
};
