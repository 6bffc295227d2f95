import { SUBJECTS, Quantity, badInput, command, quantitySchema, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { moveSerials } from "../store/serial-store.ts";
import { id, idempotencyKey, reason } from "@lotgraph/kit";
import { callerActor, lotById, type InventoryCommand } from "./inventory-command.ts";
import { requireActive } from "./active.ts";
import { lockLot, post, stockView } from "./ledger.ts";
import { requireOnHand, requireOpen, requireWholeUnits } from "./lot-rules.ts";
import type { LotRecord } from "./records.ts";

const moveLotSchema = z.object({ lotId: id, toLocationId: id, reason: reason.nullish(), idempotencyKey });
const adjustLotSchema = z.object({ lotId: id, delta: quantitySchema("delta", "non-zero"), reason, idempotencyKey });
const scrapLotSchema = z.object({ lotId: id, quantity: quantitySchema("quantity").nullish(), reason, idempotencyKey });

/** Stock that stays in the plant: moves between locations, count corrections, scrap. */
export class StockService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /**
   * Moves a lot (and its serial units in stock) to another location: a TRANSFER movement of
   * quantity 0 records from and to. Held or quarantined stock may move (that is how it reaches
   * the quarantine area); a lot with nothing left cannot.
   */
  moveLot(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "moveLot",
      role: "OPERATOR",
      input: moveLotSchema,
      actor: callerActor,
      run: async ({ tx, input, actor, record }) => {
        const before = await lockLot(tx, input.lotId);
        requireOpen(before);
        const target = await store.findLocation(tx, input.toLocationId);
        if (!target) throw badInput("toLocationId", `location ${input.toLocationId} does not exist`);
        requireActive("toLocationId", target, `location ${target.code}`, "no stock may move into it");
        if (before.locationId === input.toLocationId)
          throw badInput("toLocationId", `lot ${before.code} is already there`);
        const { lot: moved, movement } = await post(
          tx,
          before,
          {
            kind: "TRANSFER",
            delta: zero(),
            reason: input.reason ?? null,
            fromLocationId: before.locationId,
            toLocationId: input.toLocationId,
          },
          actor,
        );
        await moveSerials(tx, moved.id, input.toLocationId);
        record.audit({
          action: "lot.moved",
          entityType: "Lot",
          entityId: moved.id,
          reason: input.reason ?? null,
          before: stockView(before),
          after: stockView(moved),
        });
        record.event({
          subject: SUBJECTS.inventory.lotMoved,
          entityType: "Lot",
          entityId: moved.id,
          payload: {
            lotId: moved.id,
            materialId: moved.materialId,
            movementId: movement.id,
            fromLocationId: before.locationId,
            toLocationId: input.toLocationId,
          },
        });
        return moved.id;
      },
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }

  /** Corrects on-hand after a count (MANAGER): a signed ADJUSTMENT with a reason, never below zero. */
  adjustLot(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "adjustLot",
      role: "MANAGER",
      input: adjustLotSchema,
      actor: callerActor,
      run: async ({ tx, input, actor, record }) => {
        const before = await lockLot(tx, input.lotId);
        requireOpen(before);
        await requireUnitsOf(tx, before, "delta", input.delta);
        if (input.delta.isNegative()) requireOnHand(before, input.delta.negated());
        const { lot: adjusted, movement } = await post(
          tx,
          before,
          { kind: "ADJUSTMENT", delta: input.delta, reason: input.reason },
          actor,
        );
        record.audit({
          action: "lot.adjusted",
          entityType: "Lot",
          entityId: adjusted.id,
          reason: input.reason,
          before: stockView(before),
          after: { ...stockView(adjusted), delta: input.delta.toFixed() },
        });
        record.event({
          subject: SUBJECTS.inventory.lotAdjusted,
          entityType: "Lot",
          entityId: adjusted.id,
          payload: {
            lotId: adjusted.id,
            materialId: adjusted.materialId,
            movementId: movement.id,
            onHand: adjusted.quantity,
            status: adjusted.status,
            delta: input.delta.toFixed(),
            reason: input.reason,
          },
        });
        return adjusted.id;
      },
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }

  /**
   * Scraps part or all of a lot (MANAGER). Held, quarantined and expired stock may be scrapped:
   * that is the usual end of nonconforming material. Scrapped to zero, the lot is SCRAPPED.
   */
  scrapLot(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "scrapLot",
      role: "MANAGER",
      input: scrapLotSchema,
      actor: callerActor,
      run: async (cmd) => {
        const { input } = cmd;
        return (
          await scrapInTransaction(cmd, { lotId: input.lotId, quantity: input.quantity ?? null, reason: input.reason })
        ).id;
      },
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }
}

export interface Scrap {
  lotId: string;
  /** Null: everything on hand. */
  quantity: Quantity | null;
  /** Recorded on the movement, the audit entry and the event. */
  reason: string;
  /** Extra facts for the audit entry's `after` and the event's payload (e.g. the nonconformance). */
  context?: Record<string, string | null>;
}

/**
 * Scraps a lot in the caller's transaction: locks it, refuses a CONSUMED, SHIPPED or SCRAPPED
 * lot (LOT_UNAVAILABLE), posts a SCRAP movement through the ledger and writes the audit entry
 * and the outbox event. Any other status (ON_HOLD, QUARANTINE, expired) may be scrapped.
 */
export async function scrapInTransaction(cmd: InventoryCommand, input: Scrap): Promise<LotRecord> {
  const { tx, actor, record } = cmd;
  const before = await lockLot(tx, input.lotId);
  requireOpen(before);
  const quantity = input.quantity ?? decimal(before.quantity);
  if (quantity.isZero()) throw badInput("quantity", `lot ${before.code} has nothing on hand to scrap`);
  await requireUnitsOf(tx, before, "quantity", quantity);
  requireOnHand(before, quantity);
  const { lot: scrapped, movement } = await post(
    tx,
    before,
    { kind: "SCRAP", delta: quantity.negated(), reason: input.reason },
    actor,
  );
  const context = input.context ?? {};
  record.audit({
    action: "lot.scrapped",
    entityType: "Lot",
    entityId: scrapped.id,
    reason: input.reason,
    before: stockView(before),
    after: { ...stockView(scrapped), scrapped: quantity.toFixed(), ...context },
  });
  record.event({
    subject: SUBJECTS.inventory.lotScrapped,
    entityType: "Lot",
    entityId: scrapped.id,
    payload: {
      lotId: scrapped.id,
      materialId: scrapped.materialId,
      movementId: movement.id,
      onHand: scrapped.quantity,
      status: scrapped.status,
      quantity: quantity.toFixed(),
      reason: input.reason,
      ...context,
    },
  });
  return scrapped;
}

async function requireUnitsOf(tx: InventoryTx, lot: LotRecord, field: string, quantity: Quantity): Promise<void> {
  const material = await store.findMaterial(tx, lot.materialId);
  if (material) requireWholeUnits(field, quantity.abs(), material.tracking);
}

const zero = () => Quantity.ZERO;
const decimal = (value: string) => Quantity.of(value);
