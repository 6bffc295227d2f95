import type { BaseContext } from "@lotgraph/kit";
import type { QualityServices } from "./domain/quality-services.ts";
import type { QualityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  quality: QualityServices;
  loaders: QualityLoaders;
}
