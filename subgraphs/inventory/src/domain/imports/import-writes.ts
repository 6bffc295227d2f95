import { randomUUID } from "node:crypto";
import { SUBJECTS } from "@lotgraph/kit";
import { heldSupplierCodes } from "../../store/import-store.ts";
import { lockGenealogyShared } from "../../store/ledger-genealogy.ts";
import type { InventoryCommand } from "../inventory-command.ts";
import type { LotRecord } from "../records.ts";
import { applyStart, startOfReceipt } from "../starting-availability.ts";
import type { ImportKind } from "./import-format.ts";
import type { ItemOfKind, NewLot } from "./import-plan.ts";

/**
 * Writes one batch of new rows in the command's transaction: a statement per table, and for each
 * created entity the same audit entry and event its single mutation records (createMaterial,
 * createLocation, createParty, receiveLot), each naming the job and row as its reason.
 */
export async function writeItems<K extends ImportKind>(
  cmd: InventoryCommand,
  kind: K,
  items: readonly ItemOfKind[K][],
  jobId: string,
): Promise<void> {
  if (items.length === 0) return;
  const writers: {
    [P in ImportKind]: (cmd: InventoryCommand, items: readonly ItemOfKind[P][], jobId: string) => Promise<void>;
  } = {
    MATERIALS: writeMaterials,
    LOCATIONS: writeLocations,
    PARTIES: writeParties,
    OPENING_STOCK: writeLots,
  };
  await (writers[kind] as (cmd: InventoryCommand, items: readonly ItemOfKind[K][], jobId: string) => Promise<void>)(
    cmd,
    items,
    jobId,
  );
}

const reasonOf = (jobId: string, row: number) => `import ${jobId}, row ${row}`;

async function writeMaterials(
  { tx, record }: InventoryCommand,
  items: readonly ItemOfKind["MATERIALS"][],
  jobId: string,
): Promise<void> {
  const createdAt = new Date();
  await tx.material.createMany({
    data: items.map(({ row: _row, ...m }) => ({ ...m, createdAt })),
  });
  for (const { row, id, ...input } of items) {
    record.audit({
      action: "material.created",
      entityType: "Material",
      entityId: id,
      reason: reasonOf(jobId, row),
      after: input,
    });
    record.event({
      subject: SUBJECTS.inventory.materialCreated,
      entityType: "Material",
      entityId: id,
      payload: { sku: input.sku, name: input.name, uom: input.uom, kind: input.kind },
    });
  }
}

async function writeLocations(
  { tx, record }: InventoryCommand,
  items: readonly ItemOfKind["LOCATIONS"][],
  jobId: string,
): Promise<void> {
  const createdAt = new Date();
  // One statement, in file order: a parent on an earlier row of the batch is inserted first.
  await tx.location.createMany({
    data: items.map((l) => ({ id: l.id, code: l.code, name: l.name, kind: l.kind, parentId: l.parentId, createdAt })),
  });
  for (const l of items) {
    record.audit({
      action: "location.created",
      entityType: "Location",
      entityId: l.id,
      reason: reasonOf(jobId, l.row),
      after: { code: l.code, name: l.name, kind: l.kind, parentId: l.parentId },
    });
    record.event({
      subject: SUBJECTS.inventory.locationCreated,
      entityType: "Location",
      entityId: l.id,
      payload: { code: l.code, name: l.name, kind: l.kind, parentId: l.parentId },
    });
  }
}

async function writeParties(
  { tx, record }: InventoryCommand,
  items: readonly ItemOfKind["PARTIES"][],
  jobId: string,
): Promise<void> {
  const createdAt = new Date();
  await tx.party.createMany({
    data: items.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      kind: p.kind,
      externalRef: p.externalRef,
      createdAt,
    })),
  });
  for (const p of items) {
    record.audit({
      action: "party.created",
      entityType: "Party",
      entityId: p.id,
      reason: reasonOf(jobId, p.row),
      after: { code: p.code, name: p.name, kind: p.kind, externalRef: p.externalRef },
    });
    record.event({
      subject: SUBJECTS.inventory.partyCreated,
      entityType: "Party",
      entityId: p.id,
      payload: { code: p.code, name: p.name, kind: p.kind },
    });
  }
}

/**
 * Opening stock is received stock: each lot with its RECEIPT movement (on-hand comes from the
 * ledger), its `lot.received` entry and event, and the start receiveLot gives it: QUARANTINE when
 * its material requires inspection, ON_HOLD under a standing hold on its supplier lot code.
 */
async function writeLots(cmd: InventoryCommand, items: readonly NewLot[], jobId: string): Promise<void> {
  const { tx, actor, record } = cmd;
  // As receiveLot: a standing supplier hold placed meanwhile either sees these lots or is seen by them.
  await lockGenealogyShared(tx);
  const createdAt = new Date();
  const lots: Array<{ item: NewLot; lot: LotRecord }> = items.map((item) => ({
    item,
    lot: {
      id: item.id,
      code: item.code,
      materialId: item.material.id,
      quantity: item.quantity.toFixed(),
      uom: item.material.uom,
      status: "AVAILABLE",
      locationId: item.locationId,
      supplierId: item.supplierId,
      supplierLotCode: item.supplierLotCode,
      expiresAt: item.expiresAt,
      releasePending: [],
      externalRef: item.externalRef,
      createdAt,
      updatedAt: createdAt,
    },
  }));
  await tx.lot.createMany({ data: lots.map(({ lot }) => lot) });
  await tx.stockMovement.createMany({
    data: lots.map(({ item, lot }) => ({
      id: randomUUID(),
      lotId: lot.id,
      kind: "RECEIPT" as const,
      quantity: lot.quantity,
      balance: lot.quantity,
      actorId: actor.id,
      actorName: actor.name,
      reason: reasonOf(jobId, item.row),
      toLocationId: lot.locationId,
      createdAt,
    })),
  });
  recordReceipts(record, lots, jobId);
  // Only lots that start otherwise than AVAILABLE take receiveLot's slower path, one by one.
  const held = await heldSupplierCodes(
    tx,
    lots.flatMap(({ lot }) => (lot.supplierId ? [lot.supplierId] : [])),
  );
  for (const { item, lot } of lots) {
    const underHold =
      lot.supplierLotCode !== null &&
      (held.has(`* ${lot.supplierLotCode}`) ||
        (lot.supplierId !== null && held.has(`${lot.supplierId} ${lot.supplierLotCode}`)));
    if (!item.material.inspectionRequired && !underHold) continue;
    await applyStart(cmd, lot, await startOfReceipt(tx, item.material, lot.supplierId, lot.supplierLotCode));
  }
}

/** receiveLot's audit entry and `lot.received` event, for each lot. */
function recordReceipts(
  record: InventoryCommand["record"],
  lots: ReadonlyArray<{ item: NewLot; lot: LotRecord }>,
  jobId: string,
): void {
  for (const { item, lot } of lots) {
    record.audit({
      action: "lot.received",
      entityType: "Lot",
      entityId: lot.id,
      reason: reasonOf(jobId, item.row),
      after: { ...lot, serialNumbers: [] },
    });
    record.event({
      subject: SUBJECTS.inventory.lotReceived,
      entityType: "Lot",
      entityId: lot.id,
      payload: {
        code: lot.code,
        materialId: lot.materialId,
        quantity: lot.quantity,
        uom: lot.uom,
        locationId: lot.locationId,
        supplierId: lot.supplierId,
        supplierLotCode: lot.supplierLotCode,
        createdAt: lot.createdAt.toISOString(),
      },
    });
  }
}
