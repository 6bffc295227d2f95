import type { OutputResolvers } from "../generated/graphql/resolvers.ts";
import { runOf } from "./run-of.ts";

export const Output: OutputResolvers = {
  run: (output, _args, { loaders }) => runOf(loaders, output.runId),
  lot: (output) => ({ id: output.lotId }),
  serials: (output) => output.serialIds.map((id) => ({ id })),
  recordedAt: (output) => output.createdAt,
};
