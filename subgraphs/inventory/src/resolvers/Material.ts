import type { MaterialResolvers } from "../generated/graphql/resolvers.ts";

export const Material: MaterialResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.material.load(ref.id),
  active: (record) => record.deactivatedAt === null,
};
