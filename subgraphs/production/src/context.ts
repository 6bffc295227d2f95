import type { BaseContext } from "@lotgraph/kit";
import type { ProductionService } from "./domain/production-service.ts";
import type { ProductionLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  production: ProductionService;
  loaders: ProductionLoaders;
}
