import { DomainError, type Database, type Logger, type Principal } from "@lotgraph/kit";
import { z } from "zod";
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

export const id = z.uuid("not a valid id");
export const idempotencyKey = z.string().min(1).max(200).nullish();
export const code = z
  .string()
  .trim()
  .min(1, "required")
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "letters, digits and . _ - / only");
export const text = (max = 200) => z.string().trim().min(1, "required").max(max);

export const conflict = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError("CONFLICT", message, details);

/** The audit actor of a principal (a user, a service account or a service). */
export const actorOf = (principal: Principal) => ({ id: principal.id, name: principal.name });
