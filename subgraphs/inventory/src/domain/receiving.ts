import { SUBJECTS, badInput, command, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { serialNumbers } from "./common.ts";
import { externalRef } from "./external-ref.ts";
import { callerActor, lotById, type InventoryContext } from "./inventory-command.ts";
import { code, id, idempotencyKey } from "@lotgraph/kit";
import { lockGenealogyShared } from "../store/ledger-genealogy.ts";
import { createLot } from "./lot-creation.ts";
import { isExpired } from "./lot-rules.ts";
import { applyStart, startOfReceipt } from "./starting-availability.ts";
import { quantitySchema } from "@lotgraph/kit";
import type { LotRecord } from "./records.ts";

export const receiveLotSchema = z.object({
  materialId: id,
  quantity: quantitySchema("quantity"),
  locationId: id,
  code: code(),
  supplierId: id.nullish(),
  supplierLotCode: z.string().trim().min(1).max(64).nullish(),
  expiresAt: z.date().nullish(),
  serialNumbers,
  externalRef: externalRef.nullish(),
  idempotencyKey,
});

/** Goods coming in from suppliers. */
export class ReceivingService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /**
   * Receives a lot: the lot, its RECEIPT movement (the ledger is the source of on-hand), its
   * serial units, the audit entry and the `lot.received` event commit together, or nothing does.
   * Material already expired is refused (it is turned away at the dock, not put in stock); a
   * material that requires incoming inspection arrives QUARANTINE, and a supplier lot code under
   * a standing hold arrives ON_HOLD under it.
   */
  receiveLot(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "receiveLot",
      role: "OPERATOR",
      input: receiveLotSchema,
      actor: callerActor,
      run: receive,
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }
}

/** receiveLot's rule: the lot, its movement and serial units, then how it starts. */
async function receive(cmd: InventoryContext<z.output<typeof receiveLotSchema>>): Promise<string> {
  const { tx, input, actor, record } = cmd;
  if (input.expiresAt && isExpired({ expiresAt: input.expiresAt }, new Date()))
    throw badInput(
      "expiresAt",
      `the lot expired at ${input.expiresAt.toISOString()}: expired material is not received`,
    );
  // A standing supplier hold placed meanwhile either sees this lot or is seen by it.
  await lockGenealogyShared(tx);
  const { lot: created, material, serials } = await createLot(tx, input, { kind: "RECEIPT" }, actor);
  record.audit({
    action: "lot.received",
    entityType: "Lot",
    entityId: created.id,
    after: { ...created, serialNumbers: serials.map((s) => s.serialNumber) },
  });
  record.event({
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
  const start = await startOfReceipt(tx, material, created.supplierId, created.supplierLotCode);
  return (await applyStart(cmd, created, start)).lot.id;
}
