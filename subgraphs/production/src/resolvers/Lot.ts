import type { LotResolvers } from "../generated/graphql/resolvers.ts";

export const Lot: LotResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  producedBy: (lot, _args, { production, principal }) => production.runs.producedBy(principal, lot.id),
  consumedIn: (lot, _args, { production, principal }) => production.runs.consumedIn(principal, lot.id),
};
