import { DateTimeScalar } from "@lotgraph/kit";
import type { Resolvers } from "../generated/graphql/resolvers.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    run: (_parent, { id }, { production, principal, loaders }) => production.run(principal, id, loaders),
  },
  Lot: {
    producedBy: (lot, _args, { production, principal, loaders }) => production.producedBy(principal, lot.id, loaders),
  },
  ProductionRun: {
    __resolveReference: (ref, { loaders }) => loaders.run.load(ref.id),
  },
};
