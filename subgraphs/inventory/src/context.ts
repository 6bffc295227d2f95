import type { BaseContext } from "@lotgraph/kit";
import type { ImportService } from "./domain/imports/import-service.ts";
import type { InventoryService } from "./domain/inventory-service.ts";
import type { InventoryLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  inventory: InventoryService;
  loaders: InventoryLoaders;
  imports: ImportService;
}
