import { Quantity } from "@lotgraph/kit";
import { describe, expect, it } from "vitest";
import type { LocationRecord, MaterialRecord, PartyRecord } from "../records.ts";
import { readImportRows, type ImportKind } from "./import-format.ts";
import { planRows, type ExistingLot, type ImportLookups, type Outcome } from "./import-plan.ts";
import { checkRow } from "./import-rows.ts";

const NOW = new Date("2026-12-01T00:00:00Z");
const at = new Date("2026-11-01T00:00:00Z");
const flour: MaterialRecord = {
  id: "m-flour",
  sku: "FLOUR",
  name: "Flour",
  uom: "kg",
  kind: "RAW",
  tracking: "LOT",
  inspectionRequired: false,
  externalRef: "ERP-M-1",
  deactivatedAt: null,
  createdAt: at,
  updatedAt: at,
};
const widget: MaterialRecord = { ...flour, id: "m-widget", sku: "WIDGET", tracking: "SERIAL" };
const site: LocationRecord = {
  id: "l-site",
  code: "SITE",
  name: "Site",
  kind: "SITE",
  parentId: null,
  deactivatedAt: null,
  createdAt: at,
  updatedAt: at,
};
const bin: LocationRecord = {
  id: "l-bin",
  code: "BIN-1",
  name: "Bin 1",
  kind: "BIN",
  parentId: "l-site",
  deactivatedAt: null,
  createdAt: at,
  updatedAt: at,
};
const party = { externalRef: null, deactivatedAt: null, createdAt: at, updatedAt: at };
const mill: PartyRecord = { id: "p-mill", code: "MILL", name: "Mill", kind: "SUPPLIER", ...party };
const shop: PartyRecord = { id: "p-shop", code: "SHOP", name: "Shop", kind: "CUSTOMER", ...party };
const retired: PartyRecord = {
  id: "p-old",
  code: "OLD-MILL",
  name: "Old mill",
  kind: "SUPPLIER",
  ...party,
  deactivatedAt: at,
};
const existingLot: ExistingLot = {
  code: "LOT-OLD",
  materialId: "m-flour",
  supplierId: null,
  supplierLotCode: null,
  expiresAt: null,
  firstKind: "RECEIPT",
  firstQuantity: "10",
  firstLocationId: "l-bin",
  externalRef: "ERP-BATCH-OLD",
};

const byKey =
  <T>(records: T[], key: (r: T) => string) =>
  (keys: readonly string[]) =>
    Promise.resolve(new Map(records.filter((r) => keys.includes(key(r))).map((r) => [key(r), r])));

const lookups: ImportLookups = {
  materialsBySku: byKey([flour, widget], (m) => m.sku),
  locationsByCode: byKey([site, bin], (l) => l.code),
  partiesByCode: byKey([mill, shop, retired], (p) => p.code),
  lotsByCode: byKey([existingLot], (l) => l.code),
  externalRefOwners: (kind, refs) => {
    const owners: Array<[string, string]> =
      kind === "material" ? [["ERP-M-1", "FLOUR"]] : kind === "lot" ? [["ERP-BATCH-OLD", "LOT-OLD"]] : [];
    return Promise.resolve(new Map(owners.filter(([ref]) => refs.includes(ref))));
  },
};

async function plan<K extends ImportKind>(kind: K, csv: string) {
  const rows = readImportRows(kind, "CSV", csv).map((raw) => checkRow(kind, raw, NOW));
  return planRows(kind, rows, lookups);
}

const summary = (outcomes: ReadonlyArray<Outcome<ImportKind>>) =>
  outcomes.map((o) =>
    o.status === "failed" ? o.errors.map((e) => `${e.row}:${e.column}:${e.code}`).join(" ") : o.status,
  );

describe("planning opening stock", () => {
  it("resolves references in bulk and says which row and column are wrong", async () => {
    const outcomes = await plan(
      "OPENING_STOCK",
      [
        "sku,locationCode,lotCode,quantity,supplierCode",
        "FLOUR,BIN-1,LOT-1,5,MILL", // new
        "NOPE,BIN-1,LOT-2,5,", // unknown SKU
        "FLOUR,NOWHERE,LOT-3,5,", // unknown location
        "FLOUR,BIN-1,LOT-1,6,", // lot code repeated in the file
        "WIDGET,BIN-1,LOT-4,1,", // serial-tracked
        "FLOUR,BIN-1,LOT-5,1,SHOP", // a customer is not a supplier
        "FLOUR,BIN-1,LOT-OLD,10,", // exists with the same values
        "FLOUR,BIN-1,LOT-6,1,OLD-MILL", // a deactivated supplier takes no new stock
      ].join("\n"),
    );
    expect(summary(outcomes)).toEqual([
      "new",
      "2:sku:BAD_USER_INPUT",
      "3:locationCode:BAD_USER_INPUT",
      "4:lotCode:CONFLICT",
      "5:sku:BAD_USER_INPUT",
      "6:supplierCode:BAD_USER_INPUT",
      "present",
      "8:supplierCode:BAD_USER_INPUT",
    ]);
    const changed = await plan("OPENING_STOCK", "sku,locationCode,lotCode,quantity\nFLOUR,SITE,LOT-OLD,10.5");
    expect(summary(changed)).toEqual(["1:locationCode:CONFLICT 1:quantity:CONFLICT"]);
    const first = outcomes[0]!;
    expect(first.status === "new" && first.item).toMatchObject({
      code: "LOT-1",
      material: flour,
      locationId: "l-bin",
      supplierId: "p-mill",
    });
    expect(first.status === "new" && first.item.quantity.eq(Quantity.of("5"))).toBe(true);
  });

  it("counts a lot that was produced, not received, as a conflict on its code", async () => {
    lookups.lotsByCode = byKey([{ ...existingLot, firstKind: "PRODUCTION" }], (l) => l.code);
    const outcomes = await plan("OPENING_STOCK", "sku,locationCode,lotCode,quantity\nFLOUR,BIN-1,LOT-OLD,10");
    expect(summary(outcomes)).toEqual(["1:lotCode:CONFLICT"]);
    lookups.lotsByCode = byKey([existingLot], (l) => l.code);
  });
});

describe("planning master data", () => {
  it("treats a material that exists with the same values as present, with others as a conflict per column", async () => {
    const outcomes = await plan(
      "MATERIALS",
      "sku,name,uom,kind,tracking\nFLOUR,Flour,kg,RAW,LOT\nFLOUR2,Flour 2,kg,RAW,LOT\nFLOUR,Flour,g,RAW,LOT",
    );
    expect(summary(outcomes)).toEqual(["present", "new", "3:sku:CONFLICT"]);
    const changed = await plan("MATERIALS", "sku,name,uom,kind,tracking\nFLOUR,Wheat flour,g,RAW,LOT");
    expect(summary(changed)).toEqual(["1:name:CONFLICT 1:uom:CONFLICT"]);
  });

  it("keeps ERP keys (externalRef) unique: in the file, and against another entity's", async () => {
    const outcomes = await plan(
      "MATERIALS",
      [
        "sku,name,uom,kind,tracking,externalRef",
        "FLOUR,Flour,kg,RAW,LOT,ERP-M-1", // present, with its own key
        "SUGAR,Sugar,kg,RAW,LOT,ERP-M-1", // the key of FLOUR
        "SALT,Salt,kg,RAW,LOT,ERP-M-2", // new
        "YEAST,Yeast,kg,RAW,LOT,ERP-M-2", // the key of the row above
        "FLOUR,Flour,kg,RAW,LOT,ERP-M-9", // FLOUR has another key
        "FLOUR,Flour,kg,RAW,LOT,", // no key given: FLOUR's stays
      ].join("\n"),
    );
    expect(summary(outcomes)).toEqual([
      "present",
      "2:externalRef:CONFLICT",
      "new",
      "4:externalRef:CONFLICT",
      "5:sku:CONFLICT",
      "6:sku:CONFLICT",
    ]);
    const alone = await plan("MATERIALS", "sku,name,uom,kind,tracking,externalRef\nFLOUR,Flour,kg,RAW,LOT,ERP-M-9");
    expect(summary(alone)).toEqual(["1:externalRef:CONFLICT"]);
    const salt = outcomes[2]!;
    expect(salt.status === "new" && salt.item.externalRef).toBe("ERP-M-2");
    const stock = await plan(
      "OPENING_STOCK",
      "sku,locationCode,lotCode,quantity,externalRef\nFLOUR,BIN-1,LOT-NEW,5,ERP-BATCH-OLD\nFLOUR,BIN-1,LOT-OLD,10,ERP-BATCH-OLD",
    );
    expect(summary(stock)).toEqual(["1:externalRef:CONFLICT", "present"]);
  });

  it("places locations under a parent present or on an earlier row, never under one with errors", async () => {
    const outcomes = await plan(
      "LOCATIONS",
      [
        "code,name,kind,parentCode",
        "AREA-1,Area 1,AREA,SITE", // parent present
        "BIN-2,Bin 2,BIN,AREA-1", // parent on row 1
        "BIN-3,Bin 3,BIN,LATER", // parent comes later
        "LATER,Later,AREA,SITE",
        "AREA-X,Bad,AREA,", // no parent
        "BIN-4,Bin 4,BIN,AREA-X", // parent failed
        "SITE-2,Site 2,SITE,SITE", // a site has no parent
        "BIN-1,Bin 1,BIN,SITE", // present
      ].join("\n"),
    );
    expect(summary(outcomes)).toEqual([
      "new",
      "new",
      "3:parentCode:BAD_USER_INPUT",
      "new",
      "5:parentCode:BAD_USER_INPUT",
      "6:parentCode:BAD_USER_INPUT",
      "7:parentCode:BAD_USER_INPUT",
      "present",
    ]);
    const [area, child] = outcomes;
    expect(area?.status === "new" && child?.status === "new" && child.item.parentId === area.item.id).toBe(true);
  });

  it("plans parties by code", async () => {
    const outcomes = await plan(
      "PARTIES",
      "code,name,kind\nMILL,Mill,SUPPLIER\nMILL2,Mill 2,supplier\nSHOP,Shop,SUPPLIER",
    );
    expect(summary(outcomes)).toEqual(["present", "new", "3:kind:CONFLICT"]);
  });
});
