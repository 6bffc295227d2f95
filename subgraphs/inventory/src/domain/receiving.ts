import {
  SUBJECTS,
  appendAudit,
  enqueueEvent,
  parseInput,
  requireRole,
  withIdempotency,
  type Database,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { actorOf, code, id, idempotencyKey, reviveLot, serialNumbers } from "./common.ts";
import { createLot } from "./lot-creation.ts";
import { quantitySchema } from "./quantity.ts";
import type { LotRecord } from "./records.ts";

const receiveLotSchema = z.object({
  materialId: id,
  quantity: quantitySchema("quantity"),
  locationId: id,
  code: code(),
  supplierId: id.nullish(),
  supplierLotCode: z.string().trim().min(1).max(64).nullish(),
  expiresAt: z.date().nullish(),
  serialNumbers,
  idempotencyKey,
});

/** Goods coming in from suppliers. */
export class ReceivingService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /**
   * Receives a lot: the lot, its RECEIPT movement (the ledger is the source of on-hand), its
   * serial units, the audit entry and the `lot.received` event commit together, or nothing does.
   */
  async receiveLot(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    const principal = requireRole(caller, "OPERATOR");
    const { idempotencyKey, ...input } = parseInput(receiveLotSchema, raw);
    const actor = actorOf(principal);
    const lot = await this.db.transaction((tx) =>
      withIdempotency(tx, "receiveLot", idempotencyKey, input, async () => {
        const { lot: created, serials } = await createLot(tx, input, { kind: "RECEIPT" }, actor);
        await appendAudit(tx, {
          actor,
          action: "lot.received",
          entityType: "Lot",
          entityId: created.id,
          after: { ...created, serialNumbers: serials.map((s) => s.serialNumber) },
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.inventory.lotReceived,
          entityType: "Lot",
          entityId: created.id,
          payload: {
            code: created.code,
            materialId: created.materialId,
            quantity: created.quantity,
            uom: created.uom,
            locationId: created.locationId,
            supplierId: created.supplierId,
            supplierLotCode: created.supplierLotCode,
            createdAt: created.createdAt.toISOString(),
            ...(serials.length ? { serials: serials.map((s) => ({ id: s.id, serialNumber: s.serialNumber })) } : {}),
          },
        });
        return created;
      }),
    );
    return reviveLot(lot);
  }
}
