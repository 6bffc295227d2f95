import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  trace: (_parent, { lotId, direction, maxDepth }, { traceability, principal }) =>
    traceability.trace(principal, lotId, direction, maxDepth ?? 50),
  recall: (_parent, args, { traceability, principal }) => traceability.recall(principal, args),
  exposure: (_parent, args, { exposure, principal }) => exposure.exposure(principal, args),
  recallCase: (_parent, { id }, { recalls, principal }) => recalls.recallCase(principal, id),
  recallCases: (_parent, args, { recalls, principal }) => recalls.recallCases(principal, args),
  massBalance: (_parent, { runId, tolerancePercent }, { traceability, principal }) =>
    traceability.massBalance(principal, runId, tolerancePercent ?? 2),
  epcisDocument: (_parent, { lotId, direction }, { exports, principal }) =>
    exports.epcisDocument(principal, lotId, direction),
  auditTrail: async (_parent, { filter, first, after }, { audit, principal }) => {
    const page = await audit.trail(principal, filter ?? {}, { first, after });
    return {
      edges: page.edges.map(({ entry, cursor }) => ({ node: entry, cursor })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(after),
        startCursor: page.edges[0]?.cursor ?? null,
        endCursor: page.endCursor,
      },
      totalCount: page.totalCount,
    };
  },
  auditChainStatus: (_parent, _args, { audit, principal }) => audit.chainStatus(principal),
  webhooks: (_parent, { includeDeleted }, { webhooks, principal }) => webhooks.list(principal, includeDeleted ?? false),
  webhook: (_parent, { id }, { webhooks, principal }) => webhooks.get(principal, id),
  webhookDeliveries: (_parent, args, { webhooks, principal }) => webhooks.deliveries(principal, args),
  changes: async (_parent, args, { changes, principal }) => {
    const page = await changes.page(principal, args);
    return {
      edges: page.edges.map(({ change, cursor }) => ({ node: { ...change, cursor }, cursor })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: page.edges[0]?.cursor ?? null,
        endCursor: page.endCursor,
      },
      totalCount: page.totalCount,
    };
  },
};
