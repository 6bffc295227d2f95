import { formatWorkOrderNumber } from "../domain/records.ts";
import type { WorkOrderResolvers } from "../generated/graphql/resolvers.ts";

export const WorkOrder: WorkOrderResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.workOrder.load(ref.id),
  number: (workOrder) => formatWorkOrderNumber(workOrder.number),
  product: (workOrder) => ({ id: workOrder.productId }),
  phases: (workOrder, _args, { loaders }) => loaders.phasesByWorkOrder.load(workOrder.id),
  components: async (workOrder, _args, { loaders }) =>
    (await loaders.componentsByWorkOrder.load(workOrder.id)).map((component) => ({
      material: { id: component.materialId },
      quantity: component.quantity,
    })),
  line: (workOrder, _args, { loaders }) => (workOrder.lineId ? loaders.line.load(workOrder.lineId) : null),
  runs: (workOrder, _args, { loaders }) => loaders.runsByWorkOrder.load(workOrder.id),
};
