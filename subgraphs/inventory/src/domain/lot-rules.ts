import { DomainError, badInput, type Quantity } from "@lotgraph/kit";
import type { LotRecord, LotStatus, MovementKind, SerialStatus } from "./records.ts";

/** Statuses a lot never leaves: nothing is on hand any more. */
const CLOSED: readonly LotStatus[] = ["CONSUMED", "SHIPPED", "SCRAPPED"];

/** `expiresAt <= now` counts as expired: the last instant of shelf life is already past. */
export function isExpired(lot: Pick<LotRecord, "expiresAt">, now: Date): boolean {
  return lot.expiresAt !== null && lot.expiresAt.getTime() <= now.getTime();
}

function unavailable(lot: LotRecord, message: string): DomainError {
  return new DomainError("LOT_UNAVAILABLE", message, {
    lotId: lot.id,
    lotCode: lot.code,
    status: lot.status,
    expiresAt: lot.expiresAt?.toISOString() ?? null,
  });
}

/** What a lot's usability follows from, besides its own life (open or closed). */
export interface AvailabilityFacts {
  /** Holds not yet released. */
  activeHolds: number;
  /** What the lot waits for before use (`lot.release_pending`, see release-requirements.ts). */
  pending: readonly string[];
}

/**
 * The status of an open lot follows from its holds and what it waits for: any active hold makes
 * it ON_HOLD, else anything pending makes it QUARANTINE, else it is AVAILABLE. A closed lot
 * (consumed, shipped, scrapped) keeps its status: holds and releases are recorded on it only.
 */
export function statusFor(current: LotStatus, facts: AvailabilityFacts): LotStatus {
  if (CLOSED.includes(current)) return current;
  if (facts.activeHolds > 0) return "ON_HOLD";
  if (facts.pending.length > 0) return "QUARANTINE";
  return "AVAILABLE";
}

/** Invariant 1: only an AVAILABLE, unexpired lot may be consumed or shipped. */
export function requireUsable(lot: LotRecord, now: Date): void {
  if (lot.status !== "AVAILABLE") throw unavailable(lot, `lot ${lot.code} is ${lot.status} and cannot be used`);
  if (isExpired(lot, now)) throw unavailable(lot, `lot ${lot.code} expired at ${lot.expiresAt?.toISOString()}`);
}

/** Moving, adjusting and scrapping work on any lot that still exists physically. */
export function requireOpen(lot: LotRecord): void {
  if (CLOSED.includes(lot.status)) throw unavailable(lot, `lot ${lot.code} is ${lot.status}: nothing is left of it`);
}

/** Refuses taking more than is on hand. */
export function requireOnHand(lot: LotRecord, requested: Quantity): void {
  if (requested.gt(lot.quantity)) {
    throw new DomainError(
      "INSUFFICIENT_QUANTITY",
      `lot ${lot.code} holds ${lot.quantity} ${lot.uom}; ${requested.toFixed()} requested`,
      { lotId: lot.id, lotCode: lot.code, available: lot.quantity, requested: requested.toFixed() },
    );
  }
}

/**
 * The status a lot takes once a movement brings it to zero: emptied by consumption it is
 * CONSUMED, by shipment SHIPPED, by scrap SCRAPPED. An adjustment to zero is a correction, not
 * an end of life, so the status stays (a later count may find the stock again).
 */
export function statusAfter(lot: LotRecord, kind: MovementKind, balance: Quantity): LotStatus {
  if (!balance.isZero()) return lot.status;
  if (kind === "CONSUMPTION") return "CONSUMED";
  if (kind === "SHIPMENT") return "SHIPPED";
  if (kind === "SCRAP") return "SCRAPPED";
  return lot.status;
}

/** What happens to a closed lot's remaining serial units (those not already used elsewhere). */
export function serialStatusFor(status: LotStatus): SerialStatus | null {
  if (status === "CONSUMED" || status === "SHIPPED" || status === "SCRAPPED") return status;
  return null;
}

/** SERIAL materials count units: their quantities are whole numbers. */
export function requireWholeUnits(field: string, quantity: Quantity, tracking: "LOT" | "SERIAL"): void {
  if (tracking === "SERIAL" && !quantity.isInteger()) {
    throw badInput(field, `${field} must be a whole number of units for a serial-tracked material`);
  }
}
