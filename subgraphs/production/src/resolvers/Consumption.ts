import type { ConsumptionResolvers } from "../generated/graphql/resolvers.ts";
import { runOf } from "./run-of.ts";

export const Consumption: ConsumptionResolvers = {
  run: (consumption, _args, { loaders }) => runOf(loaders, consumption.runId),
  lot: (consumption) => ({ id: consumption.lotId }),
};
