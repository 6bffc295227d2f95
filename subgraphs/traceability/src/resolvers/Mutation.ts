import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  createWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.create(principal, input),
  updateWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.update(principal, input),
  deleteWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.delete(principal, input),
  redeliverWebhook: (_parent, { input }, { webhooks, principal }) => webhooks.redeliver(principal, input),
};
