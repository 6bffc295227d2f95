import { DomainError, withIdempotency, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { ProductionClient, ProductionTx } from "../store/db.ts";
import type { InventoryPort } from "./inventory-port.ts";
import type { QualityPort } from "./quality-port.ts";

/** What every production service works with. */
export interface ProductionDeps {
  db: Database<ProductionClient, ProductionTx>;
  inventory: InventoryPort;
  quality: QualityPort;
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

/**
 * The stored result of an earlier call with this idempotency key, or null when there is none.
 * Mutations that call inventory first ask this before anything else, so a retry of a call that
 * already completed returns its result even when the run has ended since, and never calls
 * inventory again. A different input under the same key is CONFLICT (by `withIdempotency`).
 */
export async function storedResult<T>(
  deps: ProductionDeps,
  scope: string,
  key: string | null | undefined,
  input: unknown,
): Promise<T | null> {
  if (!key) return null;
  const rows = await deps.db.driver.query("SELECT 1 FROM idempotency_key WHERE scope = $1 AND key = $2", [scope, key]);
  if (rows.length === 0) return null;
  return deps.db.transaction((tx) =>
    withIdempotency<T>(tx, scope, key, input, () => {
      // Rows in idempotency_key are never deleted, so the one just seen is still there.
      throw new Error(`idempotency key ${scope}:${key} disappeared`);
    }),
  );
}
