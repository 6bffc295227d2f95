import { randomUUID } from "node:crypto";
import {
  DomainError,
  SUBJECTS,
  appendAudit,
  badInput,
  enqueueEvent,
  parseInput,
  readPage,
  requireAuthenticated,
  requireRole,
  toConnection,
  withIdempotency,
  type Connection,
  type Database,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";

import { parsePositiveQuantity } from "./quantity.ts";
import type { LocationRecord, LotFilter, LotRecord, MaterialRecord, PartyRecord } from "./records.ts";

const code = (max = 64) =>
  z
    .string()
    .trim()
    .min(1, "required")
    .max(max)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "letters, digits and . _ - / only");
const text = z.string().trim().min(1, "required").max(200);
const key = z.string().min(1).max(200).nullish();
const id = z.uuid("not a valid id");

const createMaterialSchema = z.object({
  sku: code(),
  name: text,
  uom: z.string().trim().min(1, "required").max(16),
  kind: z.enum(["RAW", "INTERMEDIATE", "FINISHED", "PACKAGING"]),
  tracking: z.enum(["LOT", "SERIAL"]),
  idempotencyKey: key,
});
const createLocationSchema = z.object({
  code: code(),
  name: text,
  kind: z.enum(["SITE", "AREA", "LINE", "BIN"]),
  parentId: id.nullish(),
  idempotencyKey: key,
});
const createPartySchema = z.object({
  code: code(),
  name: text,
  kind: z.enum(["SUPPLIER", "CUSTOMER"]),
  idempotencyKey: key,
});
const receiveLotSchema = z.object({
  materialId: id,
  quantity: z.string(),
  locationId: id,
  code: code(),
  supplierId: id.nullish(),
  supplierLotCode: z.string().trim().min(1).max(64).nullish(),
  expiresAt: z.date().nullish(),
  idempotencyKey: key,
});

/** Which location kinds may sit under which (site → area → line or bin). */
const ALLOWED_PARENT: Record<LocationRecord["kind"], LocationRecord["kind"][]> = {
  SITE: [],
  AREA: ["SITE"],
  LINE: ["AREA", "SITE"],
  BIN: ["AREA", "LINE", "SITE"],
};

/** Inventory's rules. The only place that writes lot quantity and availability. */
export class InventoryService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  async createMaterial(caller: Principal | null, raw: unknown): Promise<MaterialRecord> {
    const actor = requireRole(caller, "MANAGER");
    const { idempotencyKey, ...input } = parseInput(createMaterialSchema, raw);
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
          payload: { sku: created.sku },
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
        await enqueueEvent(tx, { subject: SUBJECTS.inventory.partyCreated, entityType: "Party", entityId: created.id });
        return created;
      }),
    );
    return reviveDates(party);
  }

  /**
   * Receives a lot: the lot, its RECEIPT movement (the ledger is the source of on-hand), the
   * audit entry and the `lot.received` event commit together, or nothing does.
   */
  async receiveLot(caller: Principal | null, raw: unknown): Promise<LotRecord> {
    const actor = requireRole(caller, "OPERATOR");
    const { idempotencyKey, ...input } = parseInput(receiveLotSchema, raw);
    const quantity = parsePositiveQuantity("quantity", input.quantity);
    const lot = await this.db.transaction((tx) =>
      withIdempotency(tx, "receiveLot", idempotencyKey, input, async () => {
        const material = await store.findMaterial(tx, input.materialId);
        if (!material) throw badInput("materialId", `material ${input.materialId} does not exist`);
        if (!(await store.findLocation(tx, input.locationId)))
          throw badInput("locationId", `location ${input.locationId} does not exist`);
        if (input.supplierId) {
          const supplier = await store.findParty(tx, input.supplierId);
          if (supplier?.kind !== "SUPPLIER") throw badInput("supplierId", `${input.supplierId} is not a supplier`);
        }
        if (await store.lotCodeTaken(tx, input.code))
          throw conflict("code", `a lot with code ${input.code} already exists`);
        const created = await store.insertLot(tx, {
          id: randomUUID(),
          code: input.code,
          materialId: material.id,
          quantity: quantity.toFixed(),
          uom: material.uom,
          status: "AVAILABLE",
          locationId: input.locationId,
          supplierId: input.supplierId ?? null,
          supplierLotCode: input.supplierLotCode ?? null,
          expiresAt: input.expiresAt ?? null,
          createdAt: new Date(),
        });
        await store.insertMovement(tx, {
          id: randomUUID(),
          lotId: created.id,
          kind: "RECEIPT",
          quantity: created.quantity,
          actorId: actor.id,
          reason: null,
        });
        await appendAudit(tx, {
          actor,
          action: "lot.received",
          entityType: "Lot",
          entityId: created.id,
          after: created,
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
          },
        });
        return created;
      }),
    );
    return reviveLot(lot);
  }

  /** Reads need a signed-in caller; `read` is the lookup to run once that holds. */
  readable<T>(caller: Principal | null, read: () => Promise<T>): Promise<T> {
    requireAuthenticated(caller);
    return read();
  }

  async lot(caller: Principal | null, args: { id?: string | null; code?: string | null }): Promise<LotRecord | null> {
    requireAuthenticated(caller);
    if (Boolean(args.id) === Boolean(args.code)) throw badInput("id", "give exactly one of id or code");
    if (args.id)
      return z.uuid().safeParse(args.id).success
        ? ((await store.findLots(this.db.client, [args.id]))[0] ?? null)
        : null;
    return store.findLotByCode(this.db.client, args.code ?? "");
  }

  async lots(caller: Principal | null, filter: LotFilter, pageArgs: PageArgs): Promise<Connection<LotRecord>> {
    requireAuthenticated(caller);
    const page = readPage(pageArgs);
    const { rows, totalCount } = await store.pageLots(this.db.client, filter, page);
    return toConnection(rows, page, (lot) => [lot.createdAt.toISOString(), lot.id], totalCount);
  }

  async materials(caller: Principal | null, pageArgs: PageArgs): Promise<Connection<MaterialRecord>> {
    requireAuthenticated(caller);
    const page = readPage(pageArgs);
    const { rows, totalCount } = await store.pageMaterials(this.db.client, page);
    return toConnection(rows, page, (m) => [m.sku], totalCount);
  }

  async locations(caller: Principal | null): Promise<LocationRecord[]> {
    requireAuthenticated(caller);
    return store.listLocations(this.db.client);
  }

  async parties(caller: Principal | null, kind: PartyRecord["kind"] | null): Promise<PartyRecord[]> {
    requireAuthenticated(caller);
    return store.listParties(this.db.client, kind);
  }
}

function conflict(field: string, message: string): DomainError {
  return new DomainError("CONFLICT", message, { field });
}

/** Idempotent replays come back from JSON; restore the dates. */
function reviveDates<T extends { createdAt: Date }>(record: T): T {
  return { ...record, createdAt: new Date(record.createdAt) };
}

function reviveLot(lot: LotRecord): LotRecord {
  return { ...reviveDates(lot), expiresAt: lot.expiresAt ? new Date(lot.expiresAt) : null };
}
