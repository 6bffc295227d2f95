import type { UserResolvers } from "../generated/graphql/resolvers.ts";

export const User: UserResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.user.load(ref.id),
  active: (user) => user.deactivatedAt === null,
};
