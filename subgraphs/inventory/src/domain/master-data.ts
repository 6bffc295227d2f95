import { randomUUID } from "node:crypto";
import { SUBJECTS, badInput, command, type Database, type Principal } from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { requireActive } from "./active.ts";
import { conflict } from "./common.ts";
import { externalRef, requireFreeExternalRef } from "./external-ref.ts";
import { vanished } from "./inventory-command.ts";
import { uniqueOr } from "./lot-creation.ts";
import { code, id, idempotencyKey, text } from "@lotgraph/kit";
import type { LocationRecord, MaterialRecord, PartyRecord } from "./records.ts";

/** Field schemas shared with the update mutations (master-data-changes.ts). */
export const uom = z.string().trim().min(1, "required").max(16);
export const materialKind = z.enum(["RAW", "INTERMEDIATE", "FINISHED", "PACKAGING"]);
export const tracking = z.enum(["LOT", "SERIAL"]);

export const createMaterialSchema = z.object({
  sku: code(),
  name: text(),
  uom,
  kind: materialKind,
  tracking,
  inspectionRequired: z.boolean().nullish(),
  externalRef: externalRef.nullish(),
  idempotencyKey,
});
/** A material that does not say it requires inspection does not (the same request as `false`). */
const createMaterialInput = createMaterialSchema.transform((parsed) => ({
  ...parsed,
  inspectionRequired: parsed.inspectionRequired ?? false,
  externalRef: parsed.externalRef ?? null,
}));
export const createLocationSchema = z.object({
  code: code(),
  name: text(),
  kind: z.enum(["SITE", "AREA", "LINE", "BIN"]),
  parentId: id.nullish(),
  idempotencyKey,
});
export const createPartySchema = z.object({
  code: code(),
  name: text(),
  kind: z.enum(["SUPPLIER", "CUSTOMER"]),
  externalRef: externalRef.nullish(),
  idempotencyKey,
});

/** Which location kinds may sit under which (site → area → line or bin). */
export const ALLOWED_PARENT: Record<LocationRecord["kind"], LocationRecord["kind"][]> = {
  SITE: [],
  AREA: ["SITE"],
  LINE: ["AREA", "SITE"],
  BIN: ["AREA", "LINE", "SITE"],
};

/** The item master, the location tree and the parties: reference data, MANAGER only. */
export class MasterDataService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  createMaterial(caller: Principal | null, raw: unknown): Promise<MaterialRecord> {
    return command(this.db, caller, raw, {
      name: "createMaterial",
      role: "MANAGER",
      input: createMaterialInput,
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, record }) => {
        if (await store.skuTaken(tx, input.sku))
          throw conflict("sku", `a material with SKU ${input.sku} already exists`);
        await requireFreeExternalRef(tx, "material", input.externalRef);
        const created = await uniqueOr(
          () => store.insertMaterial(tx, { id: randomUUID(), createdAt: new Date(), ...input }),
          () => conflict("sku", `a material with SKU ${input.sku} or externalRef ${input.externalRef} already exists`),
        );
        record.audit({
          action: "material.created",
          entityType: "Material",
          entityId: created.id,
          after: input,
        });
        record.event({
          subject: SUBJECTS.inventory.materialCreated,
          entityType: "Material",
          entityId: created.id,
          // What exports need to name the product (traceability keeps its own copy).
          payload: { sku: created.sku, name: created.name, uom: created.uom, kind: created.kind },
        });
        return created.id;
      },
      reload: async (materialId, { tx }) =>
        (await store.findMaterial(tx, materialId)) ?? vanished("material", materialId),
    });
  }

  createLocation(caller: Principal | null, raw: unknown): Promise<LocationRecord> {
    return command(this.db, caller, raw, {
      name: "createLocation",
      role: "MANAGER",
      input: createLocationSchema,
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, record }) => {
        if (await store.locationCodeTaken(tx, input.code))
          throw conflict("code", `a location with code ${input.code} already exists`);
        const parentId = await checkedParent(tx, { kind: input.kind }, input.parentId ?? null);
        const created = await store.insertLocation(tx, {
          id: randomUUID(),
          code: input.code,
          name: input.name,
          kind: input.kind,
          parentId,
          createdAt: new Date(),
        });
        record.audit({
          action: "location.created",
          entityType: "Location",
          entityId: created.id,
          after: input,
        });
        record.event({
          subject: SUBJECTS.inventory.locationCreated,
          entityType: "Location",
          entityId: created.id,
          payload: { code: created.code, name: created.name, kind: created.kind, parentId: created.parentId },
        });
        return created.id;
      },
      reload: async (locationId, { tx }) =>
        (await store.findLocation(tx, locationId)) ?? vanished("location", locationId),
    });
  }

  createParty(caller: Principal | null, raw: unknown): Promise<PartyRecord> {
    return command(this.db, caller, raw, {
      name: "createParty",
      role: "MANAGER",
      input: createPartySchema,
      run: async ({ tx, input: { idempotencyKey: _key, ...input }, record }) => {
        if (await store.partyCodeTaken(tx, input.code))
          throw conflict("code", `a party with code ${input.code} already exists`);
        const externalRef = input.externalRef ?? null;
        await requireFreeExternalRef(tx, "party", externalRef);
        const created = await uniqueOr(
          () => store.insertParty(tx, { id: randomUUID(), createdAt: new Date(), ...input, externalRef }),
          () => conflict("code", `a party with code ${input.code} or externalRef ${externalRef} already exists`),
        );
        record.audit({
          action: "party.created",
          entityType: "Party",
          entityId: created.id,
          after: input,
        });
        record.event({
          subject: SUBJECTS.inventory.partyCreated,
          entityType: "Party",
          entityId: created.id,
          payload: { code: created.code, name: created.name, kind: created.kind },
        });
        return created.id;
      },
      reload: async (partyId, { tx }) => (await store.findParty(tx, partyId)) ?? vanished("party", partyId),
    });
  }
}

/**
 * A location's parent: it must exist, be active and may hold this kind; only a SITE has none. A
 * location that already exists (`id`, when it moves) cannot go under itself or its descendants.
 */
export async function checkedParent(
  tx: InventoryTx,
  { kind, id }: { kind: LocationRecord["kind"]; id?: string },
  parentId: string | null,
): Promise<string | null> {
  if (parentId) {
    const parent = await store.findLocation(tx, parentId);
    if (!parent) throw badInput("parentId", `location ${parentId} does not exist`);
    requireActive("parentId", parent, `location ${parent.code}`, "no location may be placed under it");
    if (id && (await store.locationLineage(tx, parentId)).includes(id))
      throw badInput("parentId", `location ${parent.code} is this location or under it: the tree would have a cycle`);
    if (!ALLOWED_PARENT[kind].includes(parent.kind)) {
      throw badInput("parentId", `a ${kind} cannot be placed under a ${parent.kind}`);
    }
  } else if (kind !== "SITE") {
    throw badInput("parentId", `a ${kind} needs a parent location`);
  }
  return parentId;
}
