/**
 * What quality needs from its peers, over their internal operations (store/peer-clients.ts).
 * A refusal comes back as the peer's DomainError, code unchanged; a transport failure or timeout
 * is a plain Error whose outcome is unknown: retrying with the same key is always safe.
 */
export interface PerformedBy {
  id: string;
  name: string;
}

/** A lot as inventory reports it after a change. */
export interface HeldLot {
  id: string;
  status: string;
}

interface InventoryCall {
  performedBy: PerformedBy;
  idempotencyKey: string;
}

export interface LotHoldRequest extends InventoryCall {
  lotIds: string[];
  /** The placement's id: inventory knows every hold of one placement by it. */
  holdId: string;
  reason: string;
  /** Also hold every descendant (inventory reads them from its own ledger). */
  propagate: boolean;
}

export interface LotReleaseRequest extends InventoryCall {
  /** Null: every lot under the hold, and the hold ends on runs and supplier lot codes too. */
  lotIds: string[] | null;
  holdId: string;
  reason: string;
}

export interface SupplierHoldRequest extends InventoryCall {
  holdId: string;
  supplierId: string;
  supplierLotCode: string;
  /** Also the code's lots from other suppliers and from none (a recall's hold, decision 0029). */
  otherSuppliers: boolean;
  reason: string;
}

export interface DecisionRequest extends InventoryCall {
  gateId: string;
  runId: string | null;
  lotId: string | null;
  result: "PASS" | "HOLD" | "FAIL";
  /** The placement a HOLD or FAIL holds lots under; null for PASS. */
  holdId: string | null;
  reason: string;
}

export interface LotScrapRequest extends InventoryCall {
  lotId: string;
  reason: string;
  /** The nonconformance whose SCRAP disposition this carries out. */
  nonConformanceId: string;
}

/** Inventory, the only writer of lot availability (DESIGN.md §3). */
export interface InventoryPort {
  /** The held lots: the listed ones first, then (with propagate) their descendants. */
  setLotHold(request: LotHoldRequest, requestId: string): Promise<HeldLot[]>;
  clearLotHold(request: LotReleaseRequest, requestId: string): Promise<HeldLot[]>;
  /** Every lot held: received under the code, then descendants. BAD_USER_INPUT for a non-supplier. */
  setSupplierHold(request: SupplierHoldRequest, requestId: string): Promise<HeldLot[]>;
  /** What a decision does to stock (positive release); returns the lots it held. */
  applyQcDecision(request: DecisionRequest, requestId: string): Promise<HeldLot[]>;
  /** A signed USE_AS_IS: the lot waits for no release requirement any more (holds stay). */
  releaseLotForUse(request: InventoryCall & { lotId: string; reason: string }, requestId: string): Promise<HeldLot>;
  /** Scraps everything left of a lot, held or not; a closed lot is refused (LOT_UNAVAILABLE). */
  scrapLot(request: LotScrapRequest, requestId: string): Promise<HeldLot>;
  /** Which of `lotIds` exist in inventory. */
  existingLots(lotIds: readonly string[], requestId: string): Promise<Set<string>>;
  /** Which of `partyIds` are parties of kind SUPPLIER. */
  suppliers(partyIds: readonly string[], requestId: string): Promise<Set<string>>;
}

/** A run as production knows it, for judging a decision on it. */
export interface RunGateContext {
  runId: string;
  status: "IN_PROGRESS" | "COMPLETED" | "CANCELLED";
  reachedPhase: number;
  lineId: string | null;
  phases: Array<{ sequence: number; name: string; gateId: string | null }>;
  outputRecorderIds: string[];
}

export interface LotOutputContext {
  runId: string;
  lineId: string | null;
  recorderId: string;
}

/** Production: runs, their outputs and lines. */
export interface ProductionPort {
  runGateContext(runId: string, requestId: string): Promise<RunGateContext | null>;
  /** The run that output a lot, its line, and who recorded it; null for a lot no run made. */
  lotOutputContext(lotId: string, requestId: string): Promise<LotOutputContext | null>;
  /** Lots output on a line after `since` (all without it), oldest first. */
  lineOutputLots(lineId: string, since: Date | null, requestId: string): Promise<string[]>;
  /** The runs in progress whose routing passes the gate. */
  gateRunsInProgress(gateId: string, requestId: string): Promise<string[]>;
}

/** Identity's answer to an electronic signature. */
export interface SignatureCheck {
  /** The signer when the password is right and signing is not locked. */
  signer: PerformedBy | null;
  /** Set while the signer is locked out of signing after repeated wrong passwords. */
  lockedUntil: Date | null;
}

/** Identity checks an electronic signature: the user's password, re-entered. */
export interface IdentityPort {
  verifySignature(userId: string, password: string, requestId: string): Promise<SignatureCheck>;
}
