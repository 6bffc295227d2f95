import type { PartyResolvers } from "../generated/graphql/resolvers.ts";

export const Party: PartyResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.party.load(ref.id),
  active: (record) => record.deactivatedAt === null,
};
