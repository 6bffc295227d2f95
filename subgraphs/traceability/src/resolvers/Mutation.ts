import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  openRecall: async (_parent, { input }, { recalls, principal, requestId }) => ({
    recallCase: await recalls.open(principal, input, requestId),
  }),
  recordRecallNotice: async (_parent, { input }, { recalls, principal }) => ({
    recallCase: await recalls.recordNotice(principal, input),
  }),
  closeRecall: async (_parent, { input }, { recalls, principal, requestId }) => ({
    recallCase: await recalls.close(principal, input, requestId),
  }),
  createWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.create(principal, input),
  updateWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.update(principal, input),
  deleteWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.delete(principal, input),
  redeliverWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.redeliver(principal, input),
};
