import { serviceAccountStatus } from "../domain/service-accounts.ts";
import type { ServiceAccountResolvers } from "../generated/graphql/resolvers.ts";

export const ServiceAccount: ServiceAccountResolvers = {
  createdBy: (account, _args, { loaders }) => (account.createdById ? loaders.user.load(account.createdById) : null),
  status: (account) => serviceAccountStatus(account, new Date()),
};
