import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  login: (_parent, { input }, { signIn, clientAddress }) => signIn.login(input, clientAddress),
  createUser: async (_parent, { input }, { identity, principal }) => ({
    user: await identity.createUser(principal, input),
  }),
  createServiceAccount: (_parent, { input }, { identity, principal }) =>
    identity.createServiceAccount(principal, input),
  verifySignature: (_parent, { input }, { signatures, principal }) => signatures.verifySignature(principal, input),
};
