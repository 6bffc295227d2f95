import type { BaseContext } from "@lotgraph/kit";
import type { AssemblyService } from "./domain/assembly.ts";
import type { FlowService } from "./domain/flow.ts";
import type { LineService } from "./domain/lines.ts";
import type { QualityFactsService } from "./domain/quality-facts.ts";
import type { RunService } from "./domain/runs.ts";
import type { WorkOrderService } from "./domain/work-orders.ts";
import type { ProductionLoaders } from "./loaders.ts";

/** Production's services, one per concern. */
export interface ProductionServices {
  lines: LineService;
  workOrders: WorkOrderService;
  runs: RunService;
  flow: FlowService;
  assembly: AssemblyService;
  qualityFacts: QualityFactsService;
}

export interface Context extends BaseContext {
  production: ProductionServices;
  loaders: ProductionLoaders;
}
