import { randomUUID } from "node:crypto";
import { DECIMAL_INTEGER_DIGITS, DomainError, Quantity } from "@lotgraph/kit";
import * as ledger from "../store/ledger-store.ts";
import type { InventoryTx } from "../store/inventory-store.ts";
import { closeSerials } from "../store/serial-store.ts";
import type { Actor } from "./common.ts";
import { serialStatusFor, statusAfter } from "./lot-rules.ts";
import type { LotRecord, MovementKind, StockMovementRecord } from "./records.ts";

export interface LedgerChange {
  kind: MovementKind;
  /** Signed change of on-hand (zero for a transfer). */
  delta: Quantity;
  reason?: string | null;
  fromLocationId?: string | null;
  toLocationId?: string | null;
  runId?: string | null;
  shipmentId?: string | null;
}

export interface Posted {
  before: LotRecord;
  lot: LotRecord;
  movement: StockMovementRecord;
}

/**
 * Posts one movement to a lot that the caller has locked (`lockLots`) in this transaction: the
 * movement with its running balance, the lot's cached on-hand (so on-hand always equals the
 * ledger sum), the status the lot ends in, and its serial units when it closes.
 */
export async function post(tx: InventoryTx, lot: LotRecord, change: LedgerChange, actor: Actor): Promise<Posted> {
  const balance = Quantity.of(lot.quantity).plus(change.delta);
  // The callers refuse first with the details a person needs; this only guards invariant 2.
  if (balance.isNegative()) {
    throw new DomainError("INSUFFICIENT_QUANTITY", `lot ${lot.code} cannot go below zero`, {
      lotId: lot.id,
      available: lot.quantity,
      requested: change.delta.negated().toFixed(),
    });
  }
  // Each quantity fits numeric(20, 6) on its own; their sum must too (invariant 2's other edge).
  if (!balance.fitsStorage()) {
    throw new DomainError(
      "BAD_USER_INPUT",
      `lot ${lot.code} would hold more than ${DECIMAL_INTEGER_DIGITS} digits before the decimal point`,
      { fields: [{ field: "quantity", message: "the lot's quantity would be too large" }] },
    );
  }
  const status = statusAfter(lot, change.kind, balance);
  const movement = await ledger.insertMovement(tx, {
    id: randomUUID(),
    lotId: lot.id,
    kind: change.kind,
    quantity: change.delta.toFixed(),
    balance: balance.toFixed(),
    actorId: actor.id,
    actorName: actor.name,
    reason: change.reason ?? null,
    fromLocationId: change.fromLocationId ?? null,
    toLocationId: change.toLocationId ?? null,
    runId: change.runId ?? null,
    shipmentId: change.shipmentId ?? null,
    createdAt: new Date(),
  });
  const updated = await ledger.updateLot(tx, lot.id, {
    quantity: balance.toFixed(),
    status,
    ...(change.kind === "TRANSFER" && change.toLocationId ? { locationId: change.toLocationId } : {}),
  });
  const serialStatus = status !== lot.status ? serialStatusFor(status) : null;
  if (serialStatus) await closeSerials(tx, lot.id, serialStatus);
  return { before: lot, lot: updated, movement };
}

/** Locks one lot for writing; a missing lot is NOT_FOUND. */
export async function lockLot(tx: InventoryTx, lotId: string): Promise<LotRecord> {
  const lot = (await ledger.lockLots(tx, [lotId])).get(lotId);
  if (!lot) throw new DomainError("NOT_FOUND", `lot ${lotId} does not exist`, { entity: "Lot", id: lotId });
  return lot;
}

/** The part of a lot an audit entry shows before and after a stock change. */
export function stockView(lot: LotRecord) {
  return { quantity: lot.quantity, status: lot.status, locationId: lot.locationId };
}
