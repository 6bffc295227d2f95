import type { BaseContext } from "@lotgraph/kit";
import type { TraceabilityService } from "./domain/traceability-service.ts";
import type { TraceabilityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  traceability: TraceabilityService;
  loaders: TraceabilityLoaders;
}
