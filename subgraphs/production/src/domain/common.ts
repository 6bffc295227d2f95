import { DomainError, type Database, type Logger, type Principal } from "@lotgraph/kit";
import type { ProductionClient, ProductionTx } from "../store/db.ts";
import type { InventoryPort } from "./inventory-port.ts";
import type { QualityPort } from "./quality-port.ts";

/** What every production service works with. */
export interface ProductionDeps {
  db: Database<ProductionClient, ProductionTx>;
  inventory: InventoryPort;
  quality: QualityPort;
  logger?: Logger;
}

export const conflict = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError("CONFLICT", message, details);

/** The audit actor of a principal (a user, a service account or a service). */
export const actorOf = (principal: Principal) => ({ id: principal.id, name: principal.name });
