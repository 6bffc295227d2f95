import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  appendAudit,
  badInput,
  enqueueEvent,
  parseInput,
  requireRole,
  withIdempotency,
  type Database,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { conflict, reviveDates } from "./common.ts";
import { code, id, idempotencyKey, text } from "@lotgraph/kit";
import type { LocationRecord, MaterialRecord, PartyRecord } from "./records.ts";

const createMaterialSchema = z.object({
  sku: code(),
  name: text(),
  uom: z.string().trim().min(1, "required").max(16),
  kind: z.enum(["RAW", "INTERMEDIATE", "FINISHED", "PACKAGING"]),
  tracking: z.enum(["LOT", "SERIAL"]),
  inspectionRequired: z.boolean().nullish(),
  idempotencyKey,
});
const createLocationSchema = z.object({
  code: code(),
  name: text(),
  kind: z.enum(["SITE", "AREA", "LINE", "BIN"]),
  parentId: id.nullish(),
  idempotencyKey,
});
const createPartySchema = z.object({
  code: code(),
  name: text(),
  kind: z.enum(["SUPPLIER", "CUSTOMER"]),
  idempotencyKey,
});

/** Which location kinds may sit under which (site → area → line or bin). */
const ALLOWED_PARENT: Record<LocationRecord["kind"], LocationRecord["kind"][]> = {
  SITE: [],
  AREA: ["SITE"],
  LINE: ["AREA", "SITE"],
  BIN: ["AREA", "LINE", "SITE"],
};

/** The item master, the location tree and the parties: reference data, MANAGER only. */
export class MasterDataService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  async createMaterial(caller: Principal | null, raw: unknown): Promise<MaterialRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey, ...parsed } = parseInput(createMaterialSchema, raw);
    const input = { ...parsed, inspectionRequired: parsed.inspectionRequired ?? false };
    const material = await this.db.transaction((tx) =>
      withIdempotency(tx, "createMaterial", idempotencyKey, input, async () => {
        if (await store.skuTaken(tx, input.sku))
          throw conflict("sku", `a material with SKU ${input.sku} already exists`);
        const created = await store.insertMaterial(tx, { id: randomUUID(), createdAt: new Date(), ...input });
        await appendAudit(tx, {
          actor,
          action: "material.created",
          entityType: "Material",
          entityId: created.id,
          after: input,
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.inventory.materialCreated,
          entityType: "Material",
          entityId: created.id,
          // What exports need to name the product (traceability keeps its own copy).
          payload: { sku: created.sku, name: created.name, uom: created.uom, kind: created.kind },
        });
        return created;
      }),
    );
    return reviveDates(material);
  }

  async createLocation(caller: Principal | null, raw: unknown): Promise<LocationRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey, ...input } = parseInput(createLocationSchema, raw);
    const location = await this.db.transaction((tx) =>
      withIdempotency(tx, "createLocation", idempotencyKey, input, async () => {
        if (await store.locationCodeTaken(tx, input.code))
          throw conflict("code", `a location with code ${input.code} already exists`);
        const parentId = input.parentId ?? null;
        if (parentId) {
          const parent = await store.findLocation(tx, parentId);
          if (!parent) throw badInput("parentId", `location ${parentId} does not exist`);
          if (!ALLOWED_PARENT[input.kind].includes(parent.kind)) {
            throw badInput("parentId", `a ${input.kind} cannot be placed under a ${parent.kind}`);
          }
        } else if (input.kind !== "SITE") {
          throw badInput("parentId", `a ${input.kind} needs a parent location`);
        }
        const created = await store.insertLocation(tx, {
          id: randomUUID(),
          code: input.code,
          name: input.name,
          kind: input.kind,
          parentId,
          createdAt: new Date(),
        });
        await appendAudit(tx, {
          actor,
          action: "location.created",
          entityType: "Location",
          entityId: created.id,
          after: input,
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.inventory.locationCreated,
          entityType: "Location",
          entityId: created.id,
          payload: { code: created.code, name: created.name, kind: created.kind, parentId: created.parentId },
        });
        return created;
      }),
    );
    return reviveDates(location);
  }

  async createParty(caller: Principal | null, raw: unknown): Promise<PartyRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey, ...input } = parseInput(createPartySchema, raw);
    const party = await this.db.transaction((tx) =>
      withIdempotency(tx, "createParty", idempotencyKey, input, async () => {
        if (await store.partyCodeTaken(tx, input.code))
          throw conflict("code", `a party with code ${input.code} already exists`);
        const created = await store.insertParty(tx, { id: randomUUID(), createdAt: new Date(), ...input });
        await appendAudit(tx, {
          actor,
          action: "party.created",
          entityType: "Party",
          entityId: created.id,
          after: input,
        });
        await enqueueEvent(tx, {
          subject: SUBJECTS.inventory.partyCreated,
          entityType: "Party",
          entityId: created.id,
          payload: { code: created.code, name: created.name, kind: created.kind },
        });
        return created;
      }),
    );
    return reviveDates(party);
  }
}
