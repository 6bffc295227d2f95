import type { ImportJobResolvers, MutationResolvers, QueryResolvers } from "../generated/graphql/resolvers.ts";

/** Bulk import (issue 20): its root fields, merged into Query and Mutation in index.ts. */
export const ImportQuery: Pick<QueryResolvers, "importJob" | "importJobs"> = {
  importJob: (_parent, { id }, { imports, principal }) => imports.job(principal, id),
  importJobs: (_parent, args, { imports, principal }) => imports.jobs(principal, args),
};

export const ImportMutation: Pick<MutationResolvers, "startImport"> = {
  startImport: async (_parent, { input }, { imports, principal }) => ({
    importJob: await imports.startImport(principal, input),
  }),
};

export const ImportJob: ImportJobResolvers = {
  __resolveReference: (ref, { imports }) => imports.byId(ref.id),
  alreadyPresentRows: (job) => job.presentRows,
  createdBy: (job) => job.createdByName,
  errors: (job, { first, offset }, { imports }) => imports.errors(job.id, first ?? 100, offset ?? 0),
};
