import { requireRole } from "@lotgraph/kit";
import type { QueryResolvers } from "../generated/graphql/resolvers.ts";

export const Query: QueryResolvers = {
  me: (_parent, _args, { principal, loaders }) => (principal?.kind === "user" ? loaders.user.load(principal.id) : null),
  user: (_parent, { id }, { principal, loaders }) => {
    requireRole(principal, "ADMIN", "AUDITOR");
    return loaders.user.load(id);
  },
  users: (_parent, { first, after, updatedSince }, { identity, principal }) =>
    identity.users(principal, { first, after }, updatedSince ?? null),
  serviceAccounts: (_parent, _args, { identity, principal }) => identity.serviceAccounts(principal),
};
