/**
 * What quality needs from its peers, over their internal operations (store/peer-clients.ts).
 * A refusal comes back as the peer's DomainError, code unchanged; a transport failure or timeout
 * is a plain Error whose outcome is unknown: retrying with the same key is always safe.
 */
export interface PerformedBy {
  id: string;
  name: string;
}

export interface LotHoldRequest {
  lotIds: string[];
  /** The root hold's id: inventory knows every hold of one placement by it. */
  holdId: string;
  reason: string;
  performedBy: PerformedBy;
  idempotencyKey: string;
}

export interface LotScrapRequest {
  lotId: string;
  reason: string;
  /** The nonconformance whose SCRAP disposition this carries out. */
  nonConformanceId: string;
  performedBy: PerformedBy;
  idempotencyKey: string;
}

export interface HeldLot {
  id: string;
  status: string;
}

/** Inventory, the only writer of lot availability (DESIGN.md §3). */
export interface InventoryPort {
  setLotHold(request: LotHoldRequest, requestId: string): Promise<HeldLot[]>;
  clearLotHold(request: LotHoldRequest, requestId: string): Promise<HeldLot[]>;
  /** Scraps everything left of a lot, held or not; a closed lot is refused (LOT_UNAVAILABLE). */
  scrapLot(request: LotScrapRequest, requestId: string): Promise<HeldLot>;
  /** Which of `lotIds` exist in inventory. */
  existingLots(lotIds: readonly string[], requestId: string): Promise<Set<string>>;
}

/** Traceability's genealogy. */
export interface GenealogyPort {
  /** Every lot made (at any depth) from any of `lotIds`, the lots themselves excluded. */
  descendantsOf(lotIds: readonly string[], requestId: string): Promise<string[]>;
}

/** Identity checks an electronic signature: the user's password, re-entered. */
export interface IdentityPort {
  verifySignature(userId: string, password: string, requestId: string): Promise<PerformedBy | null>;
}
