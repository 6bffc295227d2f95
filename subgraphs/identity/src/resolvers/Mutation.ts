import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  login: (_parent, { input }, { signIn, clientAddress }) => signIn.login(input, clientAddress),
  createUser: async (_parent, { input }, { identity, principal }) => ({
    user: await identity.createUser(principal, input),
  }),
  updateUser: async (_parent, { input }, { users, principal }) => ({ user: await users.update(principal, input) }),
  deactivateUser: async (_parent, { input }, { users, principal }) => ({
    user: await users.deactivate(principal, input),
  }),
  changePassword: async (_parent, { input }, { users, principal }) => ({
    user: await users.changePassword(principal, input),
  }),
  createServiceAccount: (_parent, { input }, { serviceAccounts, principal }) =>
    serviceAccounts.create(principal, input),
  rotateServiceAccountToken: (_parent, { input }, { serviceAccounts, principal }) =>
    serviceAccounts.rotateToken(principal, input),
  revokeServiceAccount: async (_parent, { input }, { serviceAccounts, principal }) => ({
    serviceAccount: await serviceAccounts.revoke(principal, input),
  }),
  syncCredentials: async (_parent, { input }, { credentials, principal }) => ({
    credentials: (await credentials.sync(principal, input)).map((c) => ({
      ...c,
      kind: c.kind === "user" ? "USER" : "SERVICE_ACCOUNT",
    })),
  }),
  verifySignature: (_parent, { input }, { signatures, principal }) => signatures.verifySignature(principal, input),
};
