import type { LineResolvers } from "../generated/graphql/resolvers.ts";

export const Line: LineResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.line.load(ref.id),
};
