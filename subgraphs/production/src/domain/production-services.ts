import type { ProductionLoaders } from "../loaders.ts";
import { AssemblyService } from "./assembly.ts";
import type { ProductionDeps } from "./common.ts";
import { FlowService } from "./flow.ts";
import { LineService } from "./lines.ts";
import { QualityFactsService } from "./quality-facts.ts";
import { RunService } from "./runs.ts";
import { WorkOrderService } from "./work-orders.ts";

/** Production's services, one per concern. */
export interface ProductionServices {
  lines: LineService;
  workOrders: WorkOrderService;
  runs: RunService;
  flow: FlowService;
  assembly: AssemblyService;
  qualityFacts: QualityFactsService;
}

/**
 * One request's services (see server.ts): thin wrappers over the dependencies built once at
 * startup (database, peer clients) and that request's loaders, so reads batch and cache within
 * the request and no signature carries the loaders.
 */
export function createProductionServices(deps: ProductionDeps, loaders: ProductionLoaders): ProductionServices {
  return {
    lines: new LineService(deps),
    workOrders: new WorkOrderService(deps, loaders),
    runs: new RunService(deps, loaders),
    flow: new FlowService(deps),
    assembly: new AssemblyService(deps),
    qualityFacts: new QualityFactsService(deps),
  };
}
