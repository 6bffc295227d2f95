import type { MutationResolvers } from "../generated/graphql/resolvers.ts";

export const Mutation: MutationResolvers = {
  createLine: async (_parent, { input }, { production, principal }) => ({
    line: await production.lines.createLine(principal, input),
  }),
  updateLine: async (_parent, { input }, { production, principal }) => ({
    line: await production.lines.updateLine(principal, input),
  }),
  deactivateLine: async (_parent, { input }, { production, principal }) => ({
    line: await production.lines.deactivateLine(principal, input),
  }),
  createWorkOrder: async (_parent, { input }, { production, principal, requestId }) => ({
    workOrder: await production.workOrders.createWorkOrder(principal, input, requestId),
  }),
  releaseWorkOrder: async (_parent, { input }, { production, principal }) => ({
    workOrder: await production.workOrders.releaseWorkOrder(principal, input),
  }),
  cancelWorkOrder: async (_parent, { input }, { production, principal }) => ({
    workOrder: await production.workOrders.cancelWorkOrder(principal, input),
  }),
  startRun: async (_parent, { input }, { production, principal }) => ({
    run: await production.runs.startRun(principal, input),
  }),
  consumeLot: async (_parent, { input }, { production, principal, requestId }) => ({
    consumption: await production.flow.consumeLot(principal, input, requestId),
  }),
  recordOutput: async (_parent, { input }, { production, principal, requestId }) => ({
    output: await production.flow.recordOutput(principal, input, requestId),
  }),
  advancePhase: async (_parent, { input }, { production, principal, requestId }) => ({
    run: await production.runs.advancePhase(principal, input, requestId),
  }),
  completeRun: async (_parent, { input }, { production, principal, requestId }) => ({
    run: await production.runs.completeRun(principal, input, requestId),
  }),
  cancelRun: async (_parent, { input }, { production, principal }) => ({
    run: await production.runs.cancelRun(principal, input),
  }),
  installComponent: async (_parent, { input }, { production, principal, requestId }) => ({
    installation: await production.assembly.installComponent(principal, input, requestId),
  }),
  removeComponent: async (_parent, { input }, { production, principal }) => ({
    installation: await production.assembly.removeComponent(principal, input),
  }),
};
