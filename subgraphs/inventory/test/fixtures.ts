import { randomUUID } from "node:crypto";
import type { TestInventory } from "./support.ts";

export const LOT_FIELDS = "id code quantity status location { id code } expiresAt";

export const OPS = {
  createMaterial: `mutation ($input: CreateMaterialInput!) { createMaterial(input: $input) { material { id } } }`,
  createLocation: `mutation ($input: CreateLocationInput!) { createLocation(input: $input) { location { id } } }`,
  createParty: `mutation ($input: CreatePartyInput!) { createParty(input: $input) { party { id } } }`,
  receiveLot: `mutation ($input: ReceiveLotInput!) { receiveLot(input: $input) { lot { ${LOT_FIELDS} serials { serialNumber status } } } }`,
  moveLot: `mutation ($input: MoveLotInput!) { moveLot(input: $input) { lot { ${LOT_FIELDS} } } }`,
  adjustLot: `mutation ($input: AdjustLotInput!) { adjustLot(input: $input) { lot { ${LOT_FIELDS} } } }`,
  scrapLot: `mutation ($input: ScrapLotInput!) { scrapLot(input: $input) { lot { ${LOT_FIELDS} serials { status } } } }`,
  shipLots: `mutation ($input: ShipLotsInput!) { shipLots(input: $input) {
    shipment { id reference shippedAt shippedBy customer { code } lines { quantity lot { id code quantity status } } } } }`,
  consumeFromLot: `mutation ($input: ConsumeFromLotInput!) { consumeFromLot(input: $input) { movementId lot { ${LOT_FIELDS} } } }`,
  produceLot: `mutation ($input: ProduceLotInput!) { produceLot(input: $input) {
    lot { ${LOT_FIELDS} } serials { id serialNumber status lot { code } material { sku } location { code } } } }`,
  movements: `query ($id: ID, $first: Int, $after: String) { lot(id: $id) { quantity movements(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { kind quantity balance reason actorId actorName runId fromLocation { code } toLocation { code } shipment { reference } } } } } }`,
};

export interface Plant {
  flour: string;
  /** A LOT material that requires incoming inspection. */
  inspected: string;
  widget: string;
  site: string;
  binA: string;
  binB: string;
  supplier: string;
  customer: string;
}

/** Master data every suite needs: a LOT and a SERIAL material, two bins, a supplier and a customer. */
export async function setUpPlant(inv: TestInventory): Promise<Plant> {
  const material = async (sku: string, tracking: "LOT" | "SERIAL", uom: string, inspectionRequired = false) =>
    (
      await inv.data<{ createMaterial: { material: { id: string } } }>(OPS.createMaterial, {
        input: { sku, name: sku, uom, kind: tracking === "LOT" ? "RAW" : "FINISHED", tracking, inspectionRequired },
      })
    ).createMaterial.material.id;
  const location = async (code: string, kind: string, parentId?: string) =>
    (
      await inv.data<{ createLocation: { location: { id: string } } }>(OPS.createLocation, {
        input: { code, name: code, kind, parentId },
      })
    ).createLocation.location.id;
  const party = async (code: string, kind: string) =>
    (await inv.data<{ createParty: { party: { id: string } } }>(OPS.createParty, { input: { code, name: code, kind } }))
      .createParty.party.id;
  const site = await location("SITE-1", "SITE");
  return {
    flour: await material("FLOUR", "LOT", "kg"),
    inspected: await material("COCOA", "LOT", "kg", true),
    widget: await material("WIDGET", "SERIAL", "ea"),
    site,
    binA: await location("BIN-A", "BIN", site),
    binB: await location("BIN-B", "BIN", site),
    supplier: await party("MILL", "SUPPLIER"),
    customer: await party("SHOP", "CUSTOMER"),
  };
}

export interface TestLot {
  id: string;
  code: string;
  quantity: string;
  status: string;
  location: { id: string; code: string } | null;
  expiresAt: string | null;
}

let counter = 0;
/** A fresh lot code, unique within the run. */
export const nextCode = (prefix = "L") => `${prefix}-${++counter}-${randomUUID().slice(0, 6)}`;

export async function receive(
  inv: TestInventory,
  plant: Plant,
  input: {
    quantity: string;
    materialId?: string;
    serialNumbers?: string[];
    expiresAt?: string;
    locationId?: string;
    supplierLotCode?: string;
  },
): Promise<TestLot> {
  const { receiveLot } = await inv.data<{ receiveLot: { lot: TestLot } }>(
    OPS.receiveLot,
    {
      input: {
        materialId: plant.flour,
        locationId: plant.binA,
        code: nextCode(),
        supplierId: plant.supplier,
        ...input,
      },
    },
    inv.tokens.operator,
  );
  return receiveLot.lot;
}

/**
 * A lot that expired while in stock: received with no expiry (expired material is refused at
 * receipt), then given an expiry in the past by hand. Returns the lot as the API then shows it.
 */
export async function receiveExpired(
  inv: TestInventory,
  plant: Plant,
  input: { quantity: string; materialId?: string; serialNumbers?: string[] },
  expiresAt: string,
): Promise<TestLot> {
  const lot = await receive(inv, plant, input);
  await inv.sql.query(`UPDATE lot SET expires_at = $2 WHERE id = $1::uuid`, [lot.id, new Date(expiresAt)]);
  return { ...lot, expiresAt: new Date(expiresAt).toISOString() };
}

/** Sets a lot's status by hand, bypassing the rules (a lot ON_HOLD or QUARANTINE without quality's holds). */
export async function setStatus(inv: TestInventory, lotId: string, status: string): Promise<void> {
  await inv.sql.query(`UPDATE lot SET status = $2::"LotStatus" WHERE id = $1::uuid`, [lotId, status]);
}

export const runId = () => randomUUID();
