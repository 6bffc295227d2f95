import { randomUUID } from "node:crypto";
import {
  SUBJECTS,
  badInput,
  command,
  isUuid,
  readPage,
  requireAuthenticated,
  toConnection,
  type Connection,
  type Database,
  type PageArgs,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import * as store from "../store/inventory-store.ts";
import type { InventoryClient, InventoryTx } from "../store/inventory-store.ts";
import { lockLots } from "../store/ledger-store.ts";
import { findShipments, insertShipment, pageShipments } from "../store/shipment-store.ts";
import { findSerialsInLot, setSerialStatus } from "../store/serial-store.ts";
import { requireActive } from "./active.ts";
import { conflict } from "./common.ts";
import { externalRef, requireFreeExternalRef } from "./external-ref.ts";
import { callerActor, inOrder, type InventoryContext } from "./inventory-command.ts";
import { code, id, idempotencyKey, text } from "@lotgraph/kit";
import { post, stockView } from "./ledger.ts";
import { uniqueOr } from "./lot-creation.ts";
import { requireOnHand, requireUsable, requireWholeUnits } from "./lot-rules.ts";
import { quantitySchema, type Quantity } from "@lotgraph/kit";
import type { LotRecord, ShipmentRecord } from "./records.ts";

const shipLotsSchema = z.object({
  customerId: id,
  reference: text(),
  lines: z
    .array(
      z.object({
        lotId: id,
        quantity: quantitySchema("quantity"),
        /** Serial-tracked lots: exactly the units shipped, as many as quantity. */
        serialNumbers: z
          .array(code(100))
          .max(10_000)
          .refine((list) => new Set(list).size === list.length, "serial numbers must be unique")
          .nullish(),
      }),
    )
    .min(1, "at least one line")
    .max(500)
    .refine((lines) => new Set(lines.map((l) => l.lotId)).size === lines.length, "each lot at most once"),
  externalRef: externalRef.nullish(),
  idempotencyKey,
});

/** Goods leaving the plant for customers. */
export class ShippingService {
  constructor(private readonly db: Database<InventoryClient, InventoryTx>) {}

  /**
   * Ships lots to a customer, all lines or none. Every lot is locked (in id order, so two
   * shipments of the same lots cannot deadlock) and checked before anything is written.
   */
  shipLots(caller: Principal | null, raw: unknown): Promise<ShipmentRecord> {
    return command(this.db, caller, raw, {
      name: "shipLots",
      role: "OPERATOR",
      input: shipLotsSchema,
      actor: callerActor,
      run: ship,
      reload: async (shipmentId, { tx }) =>
        inOrder("shipment", [shipmentId], await findShipments(tx, [shipmentId]))[0]!,
    });
  }

  /** Newest first; narrowed by customer, by last change (updatedSince) and by ERP key. */
  async shipments(
    caller: Principal | null,
    filter: { customerId: string | null; updatedSince: Date | null; externalRef: string | null },
    pageArgs: PageArgs,
  ): Promise<Connection<ShipmentRecord>> {
    requireAuthenticated(caller);
    const page = readPage(pageArgs);
    if (filter.customerId && !isUuid(filter.customerId)) return toConnection([], page, () => [], 0);
    const { rows, totalCount } = await pageShipments(this.db.client, filter, page);
    return toConnection(rows, page, (s) => [s.shippedAt.toISOString(), s.id], totalCount);
  }
}

type ShipContext = InventoryContext<z.output<typeof shipLotsSchema>>;

/** A line checked under lock: the lot as it was, what leaves, and its serial units. */
interface CheckedLine {
  lot: LotRecord;
  quantity: Quantity;
  serialIds: string[];
}

/** shipLots' rule: check every line under lock, then the shipment, then each lot's posting. */
async function ship(cmd: ShipContext): Promise<string> {
  const { tx, input, actor } = cmd;
  const customer = await store.findParty(tx, input.customerId);
  if (customer?.kind !== "CUSTOMER") throw badInput("customerId", `${input.customerId} is not a customer`);
  requireActive("customerId", customer, `customer ${customer.code}`, "nothing may be shipped to it");
  await requireFreeExternalRef(tx, "shipment", input.externalRef);
  const now = new Date();
  const checked = await checkLines(tx, input.lines, now);
  const shipmentId = randomUUID();
  const created = await uniqueOr(
    () =>
      insertShipment(
        tx,
        {
          id: shipmentId,
          reference: input.reference,
          customerId: customer.id,
          shippedAt: now,
          actorId: actor.id,
          actorName: actor.name,
          externalRef: input.externalRef ?? null,
        },
        checked.map(({ lot, quantity, serialIds }, lineNo) => ({
          shipmentId,
          lineNo,
          lotId: lot.id,
          quantity: quantity.toFixed(),
          serialIds,
        })),
      ),
    () => conflict("externalRef", `a shipment with externalRef ${input.externalRef} already exists`),
  );
  for (const line of checked) await shipLine(cmd, line, created, customer.id);
  recordShipment(cmd, checked, created, now);
  return created.id;
}

/** Locks every lot (in id order, so two shipments of the same lots cannot deadlock) and checks each line. */
async function checkLines(tx: InventoryTx, lines: ShipContext["input"]["lines"], now: Date): Promise<CheckedLine[]> {
  const lots = await lockLots(
    tx,
    lines.map((line) => line.lotId),
  );
  const materials = new Map(
    (await store.findMaterials(tx, [...new Set([...lots.values()].map((l) => l.materialId))])).map((m) => [m.id, m]),
  );
  const checked = [];
  for (const [index, line] of lines.entries()) {
    const lot = lots.get(line.lotId);
    if (!lot) throw badInput(`lines.${index}.lotId`, `lot ${line.lotId} does not exist`);
    requireUsable(lot, now);
    const tracking = materials.get(lot.materialId)?.tracking ?? "LOT";
    requireWholeUnits(`lines.${index}.quantity`, line.quantity, tracking);
    requireOnHand(lot, line.quantity);
    const serialIds = await shippedSerials(tx, lot, tracking, line, `lines.${index}.serialNumbers`);
    checked.push({ lot, quantity: line.quantity, serialIds });
  }
  return checked;
}

/** One line leaving: its serial units, the SHIPMENT posting, the lot's audit entry and event. */
async function shipLine(cmd: ShipContext, line: CheckedLine, created: ShipmentRecord, customerId: string) {
  const { tx, actor, record } = cmd;
  const { lot, quantity, serialIds } = line;
  await setSerialStatus(tx, serialIds, "SHIPPED");
  const posted = await post(tx, lot, { kind: "SHIPMENT", delta: quantity.negated(), shipmentId: created.id }, actor);
  record.audit({
    action: "lot.shipped",
    entityType: "Lot",
    entityId: lot.id,
    before: stockView(lot),
    after: {
      ...stockView(posted.lot),
      shipmentId: created.id,
      shipped: quantity.toFixed(),
      ...(serialIds.length ? { serialIds } : {}),
    },
  });
  record.event({
    subject: SUBJECTS.inventory.lotShipped,
    entityType: "Lot",
    entityId: lot.id,
    payload: {
      lotId: lot.id,
      materialId: lot.materialId,
      movementId: posted.movement.id,
      onHand: posted.lot.quantity,
      status: posted.lot.status,
      shipmentId: created.id,
      customerId,
      quantity: quantity.toFixed(),
      // Read before posting: the ship-from location of the exports.
      locationId: lot.locationId,
    },
  });
}

/** The shipment's own audit entry and event, with all its lines. */
function recordShipment(cmd: ShipContext, checked: readonly CheckedLine[], created: ShipmentRecord, now: Date): void {
  const lines = checked.map(({ lot, quantity, serialIds }) => ({
    lotId: lot.id,
    quantity: quantity.toFixed(),
    ...(serialIds.length ? { serialIds } : {}),
  }));
  // Each lot's location as it left (the shipment's ship-from), for the event only.
  const eventLines = checked.map(({ lot, quantity }) => ({
    lotId: lot.id,
    quantity: quantity.toFixed(),
    locationId: lot.locationId,
  }));
  cmd.record.audit({
    action: "shipment.created",
    entityType: "Shipment",
    entityId: created.id,
    after: { reference: created.reference, customerId: created.customerId, externalRef: created.externalRef, lines },
  });
  cmd.record.event({
    subject: SUBJECTS.inventory.shipmentCreated,
    entityType: "Shipment",
    entityId: created.id,
    payload: {
      customerId: created.customerId,
      reference: created.reference,
      shippedAt: now.toISOString(),
      lines: eventLines,
    },
  });
}

/**
 * The serial units a line ships: for a serial-tracked lot exactly the named ones, as many as the
 * quantity, each AVAILABLE in that lot; a lot-tracked lot takes no serial numbers.
 */
async function shippedSerials(
  tx: InventoryTx,
  lot: LotRecord,
  tracking: "LOT" | "SERIAL",
  line: { quantity: Quantity; serialNumbers?: string[] | null },
  field: string,
): Promise<string[]> {
  const numbers = line.serialNumbers ?? [];
  if (tracking === "LOT") {
    if (numbers.length)
      throw badInput(field, `lot ${lot.code} is tracked by lot, not by serial: give no serial numbers`);
    return [];
  }
  if (!line.quantity.eq(numbers.length))
    throw badInput(
      field,
      `lot ${lot.code} is serial-tracked: name the ${line.quantity.toFixed()} unit(s) shipped (got ${numbers.length})`,
    );
  const found = new Map((await findSerialsInLot(tx, lot.id, numbers)).map((serial) => [serial.serialNumber, serial]));
  const missing = numbers.filter((number) => !found.has(number));
  if (missing.length) throw badInput(field, `not in lot ${lot.code}: ${missing.slice(0, 20).join(", ")}`);
  const unavailable = numbers.filter((number) => found.get(number)?.status !== "AVAILABLE");
  if (unavailable.length)
    throw badInput(
      field,
      `not available to ship: ${unavailable.map((n) => `${n} (${found.get(n)?.status})`).join(", ")}`,
    );
  return numbers.map((number) => found.get(number)!.id);
}
