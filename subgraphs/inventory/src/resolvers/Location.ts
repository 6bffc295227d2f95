import type { LocationResolvers } from "../generated/graphql/resolvers.ts";

export const Location: LocationResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.location.load(ref.id),
  active: (record) => record.deactivatedAt === null,
  parent: (location, _args, { loaders }) => (location.parentId ? loaders.location.load(location.parentId) : null),
};
