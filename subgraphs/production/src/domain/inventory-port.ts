import type { AutomaticHold } from "./quality-port.ts";

/**
 * What production needs from inventory, the only writer of lot quantity and availability
 * (DESIGN.md §3). Implemented over inventory's internal mutations (store/inventory-client.ts).
 * A refusal comes back as inventory's DomainError, code unchanged; a transport failure or timeout
 * is a plain Error whose outcome is unknown: retrying with the same key is always safe.
 */
export interface InventoryPort {
  consumeFromLot(request: ConsumeRequest, requestId: string): Promise<ConsumeResult>;
  produceLot(request: ProduceRequest, requestId: string): Promise<ProduceResult>;
  /** Which of `ids` exist in inventory as entities of `type`. */
  existing(type: InventoryEntity, ids: readonly string[], requestId: string): Promise<Set<string>>;
  /** The materials of `ids` that exist, with whether each is still active (may be planned). */
  materials(ids: readonly string[], requestId: string): Promise<Map<string, MaterialState>>;
  /** The lot a component comes from (a serial unit's lot, or the lot itself), or null when unknown. */
  componentLot(component: { serialId: string } | { lotId: string }, requestId: string): Promise<ComponentLot | null>;
}

/** A material as a work order's plan needs it: deactivated ones may not be planned. */
export interface MaterialState {
  id: string;
  sku: string;
  active: boolean;
}

/** What decides whether a component may be built in: its lot's status and shelf life. */
export interface ComponentLot {
  id: string;
  code: string;
  status: string;
  expiresAt: string | null;
}

export type InventoryEntity = "Material" | "Lot" | "SerialUnit" | "Location";

export interface ConsumeRequest {
  lotId: string;
  quantity: string;
  runId: string;
  /** The bill of materials' materials, or null when the work order has none. */
  allowedMaterialIds: string[] | null;
  /** The operator production acts for: inventory records them on the movement and its audit entry. */
  performedBy: PerformedBy;
  idempotencyKey: string;
}

export interface PerformedBy {
  id: string;
  name: string;
}

export interface ConsumeResult {
  movementId: string;
  lotId: string;
  materialId: string;
}

export interface ProduceRequest {
  runId: string;
  materialId: string;
  quantity: string;
  code: string;
  locationId: string;
  serialNumbers: string[] | null;
  /** The routing's blocking gates: the new lot waits for each the run has not passed. */
  blockingGateIds: string[];
  performedBy: PerformedBy;
  idempotencyKey: string;
}

export interface ProduceResult {
  lotId: string;
  serialIds: string[];
  /** Holds inventory placed on the new lot as it created it (held inputs, a held run). */
  holds: AutomaticHold[];
}
