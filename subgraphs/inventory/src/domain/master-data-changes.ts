import {
  SUBJECTS,
  badInput,
  command,
  id,
  idempotencyKey,
  notFound,
  text,
  type CommandRecorder,
  type Database,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { conflict } from "./common.ts";
import { externalRef, requireFreeExternalRef } from "./external-ref.ts";
import { lotById, vanished } from "./inventory-command.ts";
import { uniqueOr } from "./lot-creation.ts";
import { checkedParent, materialKind, tracking, uom } from "./master-data.ts";
import type { LocationRecord, LotRecord, MaterialRecord, PartyRecord } from "./records.ts";

/*
 * Updates: every field optional; omitted or null keeps the value, except externalRef, where null
 * clears it (it is the one optional field of these records).
 */
const updateMaterialSchema = z.object({
  materialId: id,
  name: text().nullish(),
  uom: uom.nullish(),
  kind: materialKind.nullish(),
  tracking: tracking.nullish(),
  inspectionRequired: z.boolean().nullish(),
  externalRef: externalRef.nullable().optional(),
  idempotencyKey,
});
const updateLocationSchema = z.object({
  locationId: id,
  name: text().nullish(),
  parentId: id.nullish(),
  idempotencyKey,
});
const updatePartySchema = z.object({
  partyId: id,
  name: text().nullish(),
  externalRef: externalRef.nullable().optional(),
  idempotencyKey,
});
const reason = z.string().trim().max(500).nullish();
const deactivateMaterialSchema = z.object({ materialId: id, reason, idempotencyKey });
const deactivateLocationSchema = z.object({ locationId: id, reason, idempotencyKey });
const deactivatePartySchema = z.object({ partyId: id, reason, idempotencyKey });
const setLotExternalRefSchema = z.object({ lotId: id, externalRef: externalRef.nullable(), idempotencyKey });

/**
 * The fields of `given` that differ from `current`: omitted and null ones are left out (null means
 * "keep" for required fields), except the fields named in `clearable`, where null clears.
 */
export function changesOf<T extends object>(
  current: T,
  given: Partial<Record<keyof T, unknown>>,
  clearable: readonly (keyof T)[] = [],
): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(given) as (keyof T)[]) {
    const value = given[key];
    if (value === undefined || (value === null && !clearable.includes(key))) continue;
    if (value !== current[key]) changes[key] = value as T[keyof T];
  }
  return changes;
}

/** Given at least one field to change (a request that names none is a client's mistake). */
function requireSomething(field: string, given: Record<string, unknown>, clearable: readonly string[] = []): void {
  const named = Object.entries(given).filter(
    ([key, value]) => value != null || (value === null && clearable.includes(key)),
  );
  if (named.length === 0) throw badInput(field, "give at least one field to change");
}

/** What the audit entry shows of a record before a change: the changed fields only. */
function before<T extends object>(record: T, changes: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, record[key as keyof T]])) as Partial<T>;
}

/**
 * The life of master data after creation (issue 20): updates and deactivation, MANAGER only, each
 * with its audit entry and event in the same transaction. A change that changes nothing (the same
 * values, a second deactivation) writes nothing and returns the record as it is, so an ERP may
 * send its master data again without a trace of noise.
 */
export class MasterDataChanges {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /**
   * uom and tracking cannot change once lots exist: those lots were counted in the old unit (their
   * uom is a copy) or tracked the old way (serial units or none), so the change would misstate them.
   */
  updateMaterial(caller: Principal | null, raw: unknown): Promise<MaterialRecord> {
    return command(this.db, caller, raw, {
      name: "updateMaterial",
      role: "MANAGER",
      input: updateMaterialSchema,
      run: async ({ tx, input: { materialId, idempotencyKey: _key, ...given }, record }) => {
        requireSomething("materialId", given, ["externalRef"]);
        const current = await materialOrNotFound(tx, materialId);
        const changes = changesOf<MaterialRecord>(current, given, ["externalRef"]);
        if (Object.keys(changes).length === 0) return current.id;
        for (const field of ["uom", "tracking"] as const) {
          if (changes[field] !== undefined && (await store.materialHasLots(tx, current.id)))
            throw conflict(
              field,
              `material ${current.sku} has lots: its ${field} cannot change from ${current[field]} to ${changes[field]}`,
            );
        }
        await requireFreeExternalRef(tx, "material", changes.externalRef, current.id);
        const updated = await uniqueOr(
          () => store.updateMaterial(tx, current.id, changes),
          () => conflict("externalRef", `a material with externalRef ${changes.externalRef} already exists`),
        );
        record.audit({
          action: "material.updated",
          entityType: "Material",
          entityId: current.id,
          before: before(current, changes),
          after: changes,
        });
        record.event({
          subject: SUBJECTS.inventory.materialUpdated,
          entityType: "Material",
          entityId: current.id,
          payload: {
            sku: updated.sku,
            name: updated.name,
            uom: updated.uom,
            kind: updated.kind,
            tracking: updated.tracking,
            inspectionRequired: updated.inspectionRequired,
            externalRef: updated.externalRef,
            changed: Object.keys(changes),
          },
        });
        return current.id;
      },
      reload: async (materialId, { tx }) =>
        (await store.findMaterial(tx, materialId)) ?? vanished("material", materialId),
    });
  }

  /** A new parent is checked as at creation, and must not be the location itself or under it. */
  updateLocation(caller: Principal | null, raw: unknown): Promise<LocationRecord> {
    return command(this.db, caller, raw, {
      name: "updateLocation",
      role: "MANAGER",
      input: updateLocationSchema,
      run: async ({ tx, input: { locationId, idempotencyKey: _key, ...given }, record }) => {
        requireSomething("locationId", given);
        const current = await store.findLocation(tx, locationId);
        if (!current) throw notFound("Location", locationId);
        const changes = changesOf<LocationRecord>(current, given);
        if (Object.keys(changes).length === 0) return current.id;
        if (changes.parentId !== undefined) await checkedParent(tx, current, changes.parentId);
        const updated = await store.updateLocation(tx, current.id, changes);
        record.audit({
          action: "location.updated",
          entityType: "Location",
          entityId: current.id,
          before: before(current, changes),
          after: changes,
        });
        record.event({
          subject: SUBJECTS.inventory.locationUpdated,
          entityType: "Location",
          entityId: current.id,
          payload: {
            code: updated.code,
            name: updated.name,
            kind: updated.kind,
            parentId: updated.parentId,
            changed: Object.keys(changes),
          },
        });
        return current.id;
      },
      reload: async (locationId, { tx }) =>
        (await store.findLocation(tx, locationId)) ?? vanished("location", locationId),
    });
  }

  updateParty(caller: Principal | null, raw: unknown): Promise<PartyRecord> {
    return command(this.db, caller, raw, {
      name: "updateParty",
      role: "MANAGER",
      input: updatePartySchema,
      run: async ({ tx, input: { partyId, idempotencyKey: _key, ...given }, record }) => {
        requireSomething("partyId", given, ["externalRef"]);
        const current = await store.findParty(tx, partyId);
        if (!current) throw notFound("Party", partyId);
        const changes = changesOf<PartyRecord>(current, given, ["externalRef"]);
        if (Object.keys(changes).length === 0) return current.id;
        await requireFreeExternalRef(tx, "party", changes.externalRef, current.id);
        const updated = await uniqueOr(
          () => store.updateParty(tx, current.id, changes),
          () => conflict("externalRef", `a party with externalRef ${changes.externalRef} already exists`),
        );
        record.audit({
          action: "party.updated",
          entityType: "Party",
          entityId: current.id,
          before: before(current, changes),
          after: changes,
        });
        record.event({
          subject: SUBJECTS.inventory.partyUpdated,
          entityType: "Party",
          entityId: current.id,
          payload: {
            code: updated.code,
            name: updated.name,
            kind: updated.kind,
            externalRef: updated.externalRef,
            changed: Object.keys(changes),
          },
        });
        return current.id;
      },
      reload: async (partyId, { tx }) => (await store.findParty(tx, partyId)) ?? vanished("party", partyId),
    });
  }

  deactivateMaterial(caller: Principal | null, raw: unknown): Promise<MaterialRecord> {
    return command(this.db, caller, raw, {
      name: "deactivateMaterial",
      role: "MANAGER",
      input: deactivateMaterialSchema,
      run: async ({ tx, input, record }) => {
        const current = await materialOrNotFound(tx, input.materialId);
        if (current.deactivatedAt) return current.id;
        const updated = await store.updateMaterial(tx, current.id, { deactivatedAt: new Date() });
        deactivated(record, "Material", updated, input.reason ?? null);
        return current.id;
      },
      reload: async (materialId, { tx }) =>
        (await store.findMaterial(tx, materialId)) ?? vanished("material", materialId),
    });
  }

  deactivateLocation(caller: Principal | null, raw: unknown): Promise<LocationRecord> {
    return command(this.db, caller, raw, {
      name: "deactivateLocation",
      role: "MANAGER",
      input: deactivateLocationSchema,
      run: async ({ tx, input, record }) => {
        const current = await store.findLocation(tx, input.locationId);
        if (!current) throw notFound("Location", input.locationId);
        if (current.deactivatedAt) return current.id;
        const updated = await store.updateLocation(tx, current.id, { deactivatedAt: new Date() });
        deactivated(record, "Location", updated, input.reason ?? null);
        return current.id;
      },
      reload: async (locationId, { tx }) =>
        (await store.findLocation(tx, locationId)) ?? vanished("location", locationId),
    });
  }

  deactivateParty(caller: Principal | null, raw: unknown): Promise<PartyRecord> {
    return command(this.db, caller, raw, {
      name: "deactivateParty",
      role: "MANAGER",
      input: deactivatePartySchema,
      run: async ({ tx, input, record }) => {
        const current = await store.findParty(tx, input.partyId);
        if (!current) throw notFound("Party", input.partyId);
        if (current.deactivatedAt) return current.id;
        const updated = await store.updateParty(tx, current.id, { deactivatedAt: new Date() });
        deactivated(record, "Party", updated, input.reason ?? null);
        return current.id;
      },
      reload: async (partyId, { tx }) => (await store.findParty(tx, partyId)) ?? vanished("party", partyId),
    });
  }

  /**
   * The ERP's key of a lot (OPERATOR): lots production makes are created without one, so the ERP
   * names its batch afterwards. Not a stock change: no movement, an audit entry and an event.
   */
  setLotExternalRef(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    return command(this.db, caller, raw, {
      name: "setLotExternalRef",
      role: "OPERATOR",
      input: setLotExternalRefSchema,
      run: async ({ tx, input, record }) => {
        const [current] = await store.findLots(tx, [input.lotId]);
        if (!current) throw notFound("Lot", input.lotId);
        if (current.externalRef === input.externalRef) return current.id;
        await requireFreeExternalRef(tx, "lot", input.externalRef, current.id);
        await uniqueOr(
          () => store.setLotExternalRef(tx, current.id, input.externalRef),
          () => conflict("externalRef", `a lot with externalRef ${input.externalRef} already exists`),
        );
        record.audit({
          action: "lot.externalRefSet",
          entityType: "Lot",
          entityId: current.id,
          before: { externalRef: current.externalRef },
          after: { externalRef: input.externalRef },
        });
        record.event({
          subject: SUBJECTS.inventory.lotExternalRefSet,
          entityType: "Lot",
          entityId: current.id,
          payload: { lotId: current.id, materialId: current.materialId, externalRef: input.externalRef },
        });
        return current.id;
      },
      reload: (lotId, { tx }) => lotById(tx, lotId),
    });
  }
}

async function materialOrNotFound(tx: InventoryTx, materialId: string): Promise<MaterialRecord> {
  const material = await store.findMaterial(tx, materialId);
  if (!material) throw notFound("Material", materialId);
  return material;
}

const DEACTIVATED = {
  Material: SUBJECTS.inventory.materialDeactivated,
  Location: SUBJECTS.inventory.locationDeactivated,
  Party: SUBJECTS.inventory.partyDeactivated,
} as const;

/** A deactivation's audit entry and event. */
function deactivated(
  record: CommandRecorder,
  entityType: keyof typeof DEACTIVATED,
  entity: { id: string; deactivatedAt: Date | null },
  reason: string | null,
): void {
  const deactivatedAt = (entity.deactivatedAt ?? new Date()).toISOString();
  record.audit({
    action: `${entityType.toLowerCase()}.deactivated`,
    entityType,
    entityId: entity.id,
    reason,
    before: { active: true },
    after: { active: false, deactivatedAt },
  });
  record.event({
    subject: DEACTIVATED[entityType],
    entityType,
    entityId: entity.id,
    payload: { deactivatedAt, reason },
  });
}
