import { DomainError, type Database } from "@lotgraph/kit";
import type { QualityClient, QualityTx } from "../store/db.ts";
import type { IdentityPort, InventoryPort, PerformedBy, ProductionPort } from "./peers.ts";

/** What every quality service works with. */
export interface QualityDeps {
  db: Database<QualityClient, QualityTx>;
  inventory: InventoryPort;
  production: ProductionPort;
  identity: IdentityPort;
}

export const conflict = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError("CONFLICT", message, details);

/** Who automatic holds are placed by: Lotgraph itself, on behalf of the placement they join. */
export const AUTOMATIC: PerformedBy = { id: "service:quality", name: "Lotgraph (automatic)" };

/** Ids derived from a client's idempotency key (kit): a retry names the same hold to inventory. */
export { derivedUuid } from "@lotgraph/kit";
