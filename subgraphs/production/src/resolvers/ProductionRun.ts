import { summarize } from "../domain/summary.ts";
import type { WorkOrderRecord } from "../domain/records.ts";
import type { ProductionRunResolvers } from "../generated/graphql/resolvers.ts";
import type { ProductionLoaders } from "../loaders.ts";

async function workOrderOf(loaders: ProductionLoaders, workOrderId: string): Promise<WorkOrderRecord> {
  const workOrder = await loaders.workOrder.load(workOrderId);
  if (!workOrder) throw new Error(`run references missing work order ${workOrderId}`);
  return workOrder;
}

export const ProductionRun: ProductionRunResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.run.load(ref.id),
  workOrder: (run, _args, { loaders }) => workOrderOf(loaders, run.workOrderId),
  currentPhase: async (run, _args, { loaders }) => {
    if (run.currentPhase === null) return null;
    const phases = await loaders.phasesByWorkOrder.load(run.workOrderId);
    return phases.find((phase) => phase.sequence === run.currentPhase) ?? null;
  },
  phases: async (run, _args, { loaders }) => {
    const [phases, visits] = await Promise.all([
      loaders.phasesByWorkOrder.load(run.workOrderId),
      loaders.phasesByRun.load(run.id),
    ]);
    return phases.map((phase) => {
      const visit = visits.find((v) => v.sequence === phase.sequence);
      return { ...phase, startedAt: visit?.startedAt ?? null, endedAt: visit?.endedAt ?? null };
    });
  },
  consumptions: (run, _args, { loaders }) => loaders.consumptionsByRun.load(run.id),
  outputs: (run, _args, { loaders }) => loaders.outputsByRun.load(run.id),
  operator: (run) => ({ id: run.operatorId }),
  summary: async (run, _args, { loaders }) => {
    const [consumptions, outputs, workOrder] = await Promise.all([
      loaders.consumptionsByRun.load(run.id),
      loaders.outputsByRun.load(run.id),
      workOrderOf(loaders, run.workOrderId),
    ]);
    return summarize(consumptions, outputs, workOrder);
  },
};
