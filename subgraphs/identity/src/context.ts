import type { BaseContext } from "@lotgraph/kit";
import type { IdentityService } from "./domain/identity-service.ts";
import type { IdentityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  identity: IdentityService;
  loaders: IdentityLoaders;
}
