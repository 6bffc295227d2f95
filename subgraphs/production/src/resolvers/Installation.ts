import type { InstallationResolvers } from "../generated/graphql/resolvers.ts";

export const Installation: InstallationResolvers = {
  parent: (installation) => ({ id: installation.parentSerialId }),
  componentSerial: (installation) => (installation.componentSerialId ? { id: installation.componentSerialId } : null),
  componentLot: (installation) => (installation.componentLotId ? { id: installation.componentLotId } : null),
  run: (installation, _args, { loaders }) => (installation.runId ? loaders.run.load(installation.runId) : null),
};
