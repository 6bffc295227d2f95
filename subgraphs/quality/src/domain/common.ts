import { createHash } from "node:crypto";
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

/**
 * A UUID derived from a client's idempotency key, so a retry after a lost response names the same
 * hold to inventory (whose own idempotency then answers) instead of placing a second one.
 */
export function derivedUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
