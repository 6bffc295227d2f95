import type { BaseContext } from "@lotgraph/kit";
import type { QualityService } from "./domain/quality-service.ts";
import type { QualityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  quality: QualityService;
  loaders: QualityLoaders;
}
