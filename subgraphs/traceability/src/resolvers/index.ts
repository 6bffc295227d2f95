import type { Resolvers } from "../generated/graphql/resolvers.ts";

export const resolvers: Resolvers = {
  Lot: {
    parents: (lot, _args, { traceability, principal, loaders }) => traceability.parents(principal, lot.id, loaders),
    children: (lot, _args, { traceability, principal, loaders }) => traceability.children(principal, lot.id, loaders),
  },
};
