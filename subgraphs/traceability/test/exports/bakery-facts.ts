import type { TraceFacts } from "../../src/domain/exports/facts.ts";

/**
 * A downstream trace from a flour lot through a small bakery: flour and sugar received from two
 * suppliers, mixed into dough (run 1), baked and packed into two cookie lots (run 2), both shipped
 * on one bill of lading; a thermometer serial installed into an oven serial and later removed, and
 * a cookie lot assembled into a gift box. Names carry commas, quotes and non-ASCII on purpose.
 */
export function bakeryFacts(): TraceFacts {
  return {
    direction: "DOWNSTREAM",
    rootLotId: "lot-flour",
    lots: [
      lot("lot-flour", "F-0301", "mat-flour", "kg", "SL-4471", "2026-03-02T08:00:00.000Z"),
      lot("lot-sugar", "S-0302", "mat-sugar", "kg", null, "2026-03-02T09:30:00.000Z"),
      lot("lot-dough", "D-0303", "mat-dough", "kg", null, "2026-03-03T10:00:00.000Z"),
      lot("lot-cookie-a", "C-0304-A", "mat-cookie", "ea", null, "2026-03-04T14:00:00.000Z"),
      lot("lot-cookie-b", "C-0304-B", "mat-cookie", "ea", null, "2026-03-04T14:00:00.000Z"),
    ],
    receipts: [
      {
        eventId: "rcv-1001",
        lotId: "lot-flour",
        quantity: "250.000",
        uom: "kg",
        at: "2026-03-02T08:00:00.000Z",
        locationId: "loc-dock",
        supplierId: "sup-mill",
      },
      {
        eventId: "rcv-1002",
        lotId: "lot-sugar",
        quantity: "80.5",
        uom: "kg",
        at: "2026-03-02T09:30:00.000Z",
        locationId: "loc-dock",
        supplierId: "sup-sugar",
      },
    ],
    transformations: [
      {
        runId: "run-1",
        at: "2026-03-03T10:00:00.000Z",
        inputs: [
          { lotId: "lot-flour", quantity: "250", uom: "kg" },
          { lotId: "lot-sugar", quantity: "70.25", uom: "kg" },
        ],
        outputs: [{ lotId: "lot-dough", quantity: "318.75", uom: "kg" }],
        locationId: "loc-mix",
      },
      {
        runId: "run-2",
        at: "2026-03-04T14:00:00.000Z",
        inputs: [{ lotId: "lot-dough", quantity: "300", uom: "kg" }],
        outputs: [
          { lotId: "lot-cookie-a", quantity: "1200", uom: "ea" },
          { lotId: "lot-cookie-b", quantity: "600", uom: "ea" },
        ],
        locationId: "loc-oven",
      },
    ],
    shipments: [
      {
        shipmentId: "shp-77",
        reference: "BOL-2026-0042",
        customerId: "cus-grocer",
        at: "2026-03-05T07:00:00.000Z",
        lines: [
          { lotId: "lot-cookie-a", quantity: "1000", uom: "ea" },
          { lotId: "lot-cookie-b", quantity: "600", uom: "ea" },
        ],
        fromLocationId: "loc-wh",
      },
    ],
    aggregations: [
      {
        installationId: "inst-1",
        parentSerialId: "ser-oven-7",
        childSerialId: "ser-thermo-3",
        childLotId: null,
        at: "2026-03-01T06:00:00.000Z",
        action: "ADD",
      },
      {
        installationId: "inst-1",
        parentSerialId: "ser-oven-7",
        childSerialId: "ser-thermo-3",
        childLotId: null,
        at: "2026-03-06T06:00:00.000Z",
        action: "DELETE",
      },
      {
        installationId: "inst-2",
        parentSerialId: "ser-giftbox-1",
        childSerialId: null,
        childLotId: "lot-cookie-a",
        at: "2026-03-04T16:00:00.000Z",
        action: "ADD",
      },
    ],
    materials: [
      { id: "mat-flour", sku: "RM-FLOUR", name: "Wheat flour, type 550" },
      { id: "mat-sugar", sku: "RM-SUGAR", name: "Cane sugar" },
      { id: "mat-dough", sku: "WIP-DOUGH", name: "Cookie dough" },
      { id: "mat-cookie", sku: "FG-COOKIE", name: 'Choc-chip cookies, "family" pack' },
    ],
    locations: [
      { id: "loc-dock", code: "DOCK-1", name: "Receiving dock, Plant Fresno" },
      { id: "loc-mix", code: "LINE-1", name: "Mixing line" },
      { id: "loc-oven", code: "LINE-2", name: "Oven & packing line" },
      { id: "loc-wh", code: "WH-1", name: "Finished goods warehouse" },
    ],
    parties: [
      { id: "sup-mill", code: "SUP-1", name: "Molino Peña S.A." },
      { id: "sup-sugar", code: "SUP-2", name: "Sugar Co" },
      { id: "cus-grocer", code: "CUS-1", name: "Grocer, Inc." },
    ],
  };
}

function lot(
  id: string,
  code: string,
  materialId: string,
  uom: string,
  supplierLotCode: string | null,
  createdAt: string,
): TraceFacts["lots"][number] {
  return { id, code, materialId, uom, supplierLotCode, createdAt };
}
