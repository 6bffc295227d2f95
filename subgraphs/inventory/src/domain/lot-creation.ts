import { randomUUID } from "node:crypto";
import { badInput } from "@lotgraph/kit";
import * as store from "../store/inventory-store.ts";
import { isUniqueViolation, type InventoryTx } from "../store/inventory-store.ts";
import { insertMovement } from "../store/ledger-store.ts";
import { insertSerials, takenSerialNumbers } from "../store/serial-store.ts";
import { requireActive } from "./active.ts";
import { conflict, type Actor } from "./common.ts";
import { requireFreeExternalRef } from "./external-ref.ts";
import { requireWholeUnits } from "./lot-rules.ts";
import type { Quantity } from "@lotgraph/kit";
import type { LotRecord, MaterialRecord, SerialUnitRecord, StockMovementRecord } from "./records.ts";

export interface NewLot {
  materialId: string;
  quantity: Quantity;
  locationId: string;
  code: string;
  supplierId?: string | null;
  supplierLotCode?: string | null;
  expiresAt?: Date | null;
  serialNumbers?: readonly string[] | null;
  externalRef?: string | null;
}

export interface CreatedLot {
  lot: LotRecord;
  material: MaterialRecord;
  serials: SerialUnitRecord[];
  movement: StockMovementRecord;
}

/**
 * Creates a lot that enters stock (received or produced): checks what it references, then
 * writes the lot, its first movement (on-hand comes from the ledger) and, for SERIAL materials,
 * one AVAILABLE serial unit per unit of quantity.
 */
export async function createLot(
  tx: InventoryTx,
  input: NewLot,
  entry: { kind: "RECEIPT" | "PRODUCTION"; runId?: string | null },
  actor: Actor,
): Promise<CreatedLot> {
  const { material, serialNumbers } = await checkNewLot(tx, input);
  const now = new Date();
  const lot = await uniqueOr(
    () =>
      store.insertLot(tx, {
        id: randomUUID(),
        code: input.code,
        materialId: material.id,
        quantity: input.quantity.toFixed(),
        uom: material.uom,
        status: "AVAILABLE",
        locationId: input.locationId,
        supplierId: input.supplierId ?? null,
        supplierLotCode: input.supplierLotCode ?? null,
        expiresAt: input.expiresAt ?? null,
        releasePending: [],
        externalRef: input.externalRef ?? null,
        createdAt: now,
      }),
    () => conflict("code", `a lot with code ${input.code} (or externalRef ${input.externalRef}) already exists`),
  );
  const movement = await insertMovement(tx, {
    id: randomUUID(),
    lotId: lot.id,
    kind: entry.kind,
    quantity: lot.quantity,
    balance: lot.quantity,
    actorId: actor.id,
    actorName: actor.name,
    reason: null,
    toLocationId: lot.locationId,
    runId: entry.runId ?? null,
    createdAt: now,
  });
  const serials = await insertLotSerials(tx, lot, material, serialNumbers);
  return { lot, material, serials, movement };
}

/** Checks what a new lot references and that its code and serial numbers are free. */
async function checkNewLot(
  tx: InventoryTx,
  input: NewLot,
): Promise<{ material: MaterialRecord; serialNumbers: string[] }> {
  const material = await store.findMaterial(tx, input.materialId);
  if (!material) throw badInput("materialId", `material ${input.materialId} does not exist`);
  requireActive("materialId", material, `material ${material.sku}`, "no new lot of it may be received or made");
  const location = await store.findLocation(tx, input.locationId);
  if (!location) throw badInput("locationId", `location ${input.locationId} does not exist`);
  requireActive("locationId", location, `location ${location.code}`, "no stock may arrive there");
  const serialNumbers = checkSerials(material, input.quantity, input.serialNumbers ?? null);
  if (input.supplierId) {
    const supplier = await store.findParty(tx, input.supplierId);
    if (supplier?.kind !== "SUPPLIER") throw badInput("supplierId", `${input.supplierId} is not a supplier`);
    requireActive("supplierId", supplier, `supplier ${supplier.code}`, "no lot may be received from it");
  }
  if (await store.lotCodeTaken(tx, input.code)) throw conflict("code", `a lot with code ${input.code} already exists`);
  await requireFreeExternalRef(tx, "lot", input.externalRef);
  if (serialNumbers.length) {
    const taken = await takenSerialNumbers(tx, material.id, serialNumbers);
    if (taken.length)
      throw conflict("serialNumbers", `serial numbers already exist for ${material.sku}: ${taken.join(", ")}`);
  }
  return { material, serialNumbers };
}

/** One AVAILABLE serial unit per serial number, where the lot is. */
function insertLotSerials(
  tx: InventoryTx,
  lot: LotRecord,
  material: MaterialRecord,
  serialNumbers: readonly string[],
): Promise<SerialUnitRecord[]> {
  return uniqueOr(
    () =>
      insertSerials(
        tx,
        serialNumbers.map((serialNumber) => ({
          id: randomUUID(),
          serialNumber,
          materialId: material.id,
          lotId: lot.id,
          status: "AVAILABLE" as const,
          locationId: lot.locationId,
          createdAt: lot.createdAt,
        })),
      ),
    () => conflict("serialNumbers", `serial numbers already exist for ${material.sku}`),
  );
}

/** SERIAL materials need one serial number per unit; LOT materials take none. */
function checkSerials(material: MaterialRecord, quantity: Quantity, serialNumbers: readonly string[] | null): string[] {
  if (material.tracking === "LOT") {
    if (serialNumbers?.length) throw badInput("serialNumbers", `${material.sku} is tracked by lot, not by serial`);
    return [];
  }
  requireWholeUnits("quantity", quantity, "SERIAL");
  if (!serialNumbers || !quantity.eq(serialNumbers.length)) {
    throw badInput(
      "serialNumbers",
      `${material.sku} is serial-tracked: give one serial number per unit (${quantity.toFixed()}), got ${serialNumbers?.length ?? 0}`,
    );
  }
  return [...serialNumbers];
}

/** A concurrent writer can take a code between our check and our insert: still a CONFLICT. */
export async function uniqueOr<T>(write: () => Promise<T>, onTaken: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw onTaken();
    throw error;
  }
}
