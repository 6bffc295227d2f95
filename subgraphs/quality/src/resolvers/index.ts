import type { Resolvers } from "../generated/graphql/resolvers.ts";

export const resolvers: Resolvers = {
  Lot: {
    qualityStatus: (lot, _args, { quality, principal, loaders }) => quality.qualityStatus(principal, lot.id, loaders),
  },
};
