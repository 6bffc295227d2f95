import type { BaseContext } from "@lotgraph/kit";
import type { TraceExports } from "./domain/exports/export-service.ts";
import type { TraceabilityService } from "./domain/traceability-service.ts";
import type { TraceabilityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  traceability: TraceabilityService;
  /** EPCIS and FSMA 204 exports of a trace. */
  exports: TraceExports;
  loaders: TraceabilityLoaders;
}
