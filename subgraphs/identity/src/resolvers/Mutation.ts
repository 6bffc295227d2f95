import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  login: (_parent, { input }, { identity }) => identity.login(input),
  createUser: async (_parent, { input }, { identity, principal }) => ({
    user: await identity.createUser(principal, input),
  }),
  createServiceAccount: (_parent, { input }, { identity, principal }) =>
    identity.createServiceAccount(principal, input),
  verifySignature: (_parent, { input }, { identity, principal }) => identity.verifySignature(principal, input),
};
