import type { BaseContext } from "@lotgraph/kit";
import type { ProductionServices } from "./domain/production-services.ts";
import type { ProductionLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  production: ProductionServices;
  loaders: ProductionLoaders;
}
