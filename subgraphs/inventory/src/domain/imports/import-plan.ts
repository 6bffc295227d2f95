import { randomUUID } from "node:crypto";
import { Quantity } from "@lotgraph/kit";
import { ALLOWED_PARENT } from "../master-data.ts";
import type { LocationRecord, MaterialRecord, PartyRecord } from "../records.ts";
import { rowProblem, type ImportKind, type RowError } from "./import-format.ts";
import { externalRefConflicts, externalRefPair } from "./import-external-refs.ts";
import {
  okValues,
  unique,
  type CheckedRow,
  type LocationRow,
  type MaterialRow,
  type PartyRow,
  type RowOfKind,
  type StockRow,
} from "./import-rows.ts";

/** A lot that exists, with what it was received as (its first movement). */
export interface ExistingLot {
  code: string;
  materialId: string;
  supplierId: string | null;
  supplierLotCode: string | null;
  expiresAt: Date | null;
  /** Kind, quantity and location of its first movement (RECEIPT for a received lot). */
  firstKind: string | null;
  firstQuantity: string | null;
  firstLocationId: string | null;
  externalRef: string | null;
}

/** What planning reads from the database, by natural key, in bulk (store/import-store.ts). */
export interface ImportLookups {
  materialsBySku(skus: readonly string[]): Promise<Map<string, MaterialRecord>>;
  locationsByCode(codes: readonly string[]): Promise<Map<string, LocationRecord>>;
  partiesByCode(codes: readonly string[]): Promise<Map<string, PartyRecord>>;
  lotsByCode(codes: readonly string[]): Promise<Map<string, ExistingLot>>;
  /** For each ERP key already taken by an entity of the kind: that entity's SKU or code. */
  externalRefOwners(kind: "material" | "party" | "lot", refs: readonly string[]): Promise<Map<string, string>>;
}

export interface NewLot {
  row: number;
  id: string;
  code: string;
  material: MaterialRecord;
  quantity: Quantity;
  locationId: string;
  supplierId: string | null;
  supplierLotCode: string | null;
  expiresAt: Date | null;
  externalRef: string | null;
}

/** What a new row of each kind writes; ids are chosen here so later rows can refer to earlier ones. */
export interface ItemOfKind {
  MATERIALS: MaterialRow & { id: string };
  LOCATIONS: LocationRow & { id: string; parentId: string | null };
  PARTIES: PartyRow & { id: string };
  OPENING_STOCK: NewLot;
}

/** What becomes of one row: written, left as it is (its key exists with the same values), or refused. */
export type Outcome<K extends ImportKind> =
  | { row: number; status: "new"; item: ItemOfKind[K] }
  | { row: number; status: "present" }
  | { row: number; status: "failed"; errors: RowError[] };

/**
 * Decides every row of a file at once: references resolved and keys compared in a few bulk
 * reads, never one query per row. A key repeated in the file is refused on the later row; a key
 * that exists with the same values is "present" (the row is idempotent), with other values it is
 * a CONFLICT naming each column that differs.
 */
export async function planRows<K extends ImportKind>(
  kind: K,
  rows: readonly CheckedRow<RowOfKind[K]>[],
  lookups: ImportLookups,
): Promise<Outcome<K>[]> {
  const planners: {
    [P in ImportKind]: (rows: readonly CheckedRow<RowOfKind[P]>[], lookups: ImportLookups) => Promise<Outcome<P>[]>;
  } = {
    MATERIALS: planMaterials,
    LOCATIONS: planLocations,
    PARTIES: planParties,
    OPENING_STOCK: planStock,
  };
  return (
    planners[kind] as (rows: readonly CheckedRow<RowOfKind[K]>[], lookups: ImportLookups) => Promise<Outcome<K>[]>
  )(rows, lookups);
}

/** Marks every later row repeating an earlier row's key as a CONFLICT on the key's column. */
function firstOccurrence<T extends { row: number }>(
  rows: readonly CheckedRow<T>[],
  keyOf: (value: T) => string,
  column: string,
  what: string,
): Map<number, RowError> {
  const firstRow = new Map<string, number>();
  const repeated = new Map<number, RowError>();
  for (const checked of rows) {
    if (!checked.ok) continue;
    const key = keyOf(checked.value);
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, checked.row);
    else
      repeated.set(checked.row, rowProblem(checked.row, column, `${what} ${key} is also on row ${first}`, "CONFLICT"));
  }
  return repeated;
}

/**
 * One CONFLICT per column whose value differs from the existing entity's. Columns compared by id
 * (a reference) do not show the existing value: an id means nothing to whoever wrote the file.
 */
function differences(
  row: number,
  what: string,
  pairs: Array<[column: string, file: unknown, existing: unknown]>,
  byId: readonly string[] = [],
): RowError[] {
  return pairs
    .filter(([, file, existing]) => !sameValue(file, existing))
    .map(([column, , existing]) =>
      rowProblem(
        row,
        column,
        byId.includes(column)
          ? `${what} exists with another ${column}`
          : `${what} exists with ${column} ${show(existing)}; the row has another value`,
        "CONFLICT",
      ),
    );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : false;
  return (a ?? null) === (b ?? null);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "none";
  return value instanceof Date ? value.toISOString() : `"${String(value)}"`;
}

function settle<K extends ImportKind>(
  row: number,
  errors: RowError[],
  present: boolean,
  item: () => ItemOfKind[K],
): Outcome<K> {
  if (errors.length) return { row, status: "failed", errors };
  return present ? { row, status: "present" } : { row, status: "new", item: item() };
}

async function planMaterials(
  rows: readonly CheckedRow<MaterialRow>[],
  lookups: ImportLookups,
): Promise<Outcome<"MATERIALS">[]> {
  const repeated = firstOccurrence(rows, (m) => m.sku, "sku", "SKU");
  const [existing, refConflicts] = await Promise.all([
    lookups.materialsBySku(okValues(rows).map((m) => m.sku)),
    externalRefConflicts(rows, "material", (m) => m.sku, lookups),
  ]);
  return rows.map((checked) => {
    if (!checked.ok) return { row: checked.row, status: "failed", errors: checked.errors };
    const m = checked.value;
    const dup = repeated.get(m.row);
    if (dup) return { row: m.row, status: "failed", errors: [dup] };
    const found = existing.get(m.sku);
    const refConflict = refConflicts.get(m.row);
    const errors = refConflict ? [refConflict] : found ? materialDifferences(m, found) : [];
    return settle<"MATERIALS">(m.row, errors, found !== undefined, () => ({ ...m, id: randomUUID() }));
  });
}

export function materialDifferences(m: MaterialRow, found: MaterialRecord): RowError[] {
  return differences(m.row, `material ${m.sku}`, [
    ["name", m.name, found.name],
    ["uom", m.uom, found.uom],
    ["kind", m.kind, found.kind],
    ["tracking", m.tracking, found.tracking],
    ["inspectionRequired", String(m.inspectionRequired), String(found.inspectionRequired)],
    ...externalRefPair(m.externalRef, found.externalRef),
  ]);
}

async function planParties(
  rows: readonly CheckedRow<PartyRow>[],
  lookups: ImportLookups,
): Promise<Outcome<"PARTIES">[]> {
  const repeated = firstOccurrence(rows, (p) => p.code, "code", "party code");
  const [existing, refConflicts] = await Promise.all([
    lookups.partiesByCode(okValues(rows).map((p) => p.code)),
    externalRefConflicts(rows, "party", (p) => p.code, lookups),
  ]);
  return rows.map((checked) => {
    if (!checked.ok) return { row: checked.row, status: "failed", errors: checked.errors };
    const p = checked.value;
    const dup = repeated.get(p.row);
    if (dup) return { row: p.row, status: "failed", errors: [dup] };
    const found = existing.get(p.code);
    const refConflict = refConflicts.get(p.row);
    const errors = refConflict ? [refConflict] : found ? partyDifferences(p, found) : [];
    return settle<"PARTIES">(p.row, errors, found !== undefined, () => ({ ...p, id: randomUUID() }));
  });
}

export function partyDifferences(p: PartyRow, found: PartyRecord): RowError[] {
  return differences(p.row, `party ${p.code}`, [
    ["name", p.name, found.name],
    ["kind", p.kind, found.kind],
    ...externalRefPair(p.externalRef, found.externalRef),
  ]);
}

/**
 * Locations refer to their parent by code: one already present, or one on an earlier row (the
 * tree is written top-down, in file order). A parent on a row with errors takes its children
 * down with it, so VALID_ROWS never writes an orphan.
 */
async function planLocations(
  rows: readonly CheckedRow<LocationRow>[],
  lookups: ImportLookups,
): Promise<Outcome<"LOCATIONS">[]> {
  const repeated = firstOccurrence(rows, (l) => l.code, "code", "location code");
  const values = okValues(rows);
  const existing = await lookups.locationsByCode([
    ...values.map((l) => l.code),
    ...values.flatMap((l) => (l.parentCode ? [l.parentCode] : [])),
  ]);
  const inFile = new Map<string, { row: number; id: string | null; kind: LocationRow["kind"] }>();
  return rows.map((checked): Outcome<"LOCATIONS"> => {
    if (!checked.ok) return { row: checked.row, status: "failed", errors: checked.errors };
    const l = checked.value;
    const dup = repeated.get(l.row);
    if (dup) return { row: l.row, status: "failed", errors: [dup] };
    const parent = resolveParent(l, existing, inFile);
    const found = existing.get(l.code);
    const errors = typeof parent === "object" && parent !== null && "error" in parent ? [parent.error] : [];
    const parentId = errors.length ? null : ((parent as { id: string } | null)?.id ?? null);
    if (found && !errors.length) errors.push(...locationDifferences(l, parentId, found));
    const outcome = settle<"LOCATIONS">(l.row, errors, found !== undefined, () => ({
      ...l,
      id: randomUUID(),
      parentId,
    }));
    const id = outcome.status === "new" ? outcome.item.id : outcome.status === "present" ? found!.id : null;
    inFile.set(l.code, { row: l.row, id, kind: l.kind });
    return outcome;
  });
}

export function locationDifferences(l: LocationRow, parentId: string | null, found: LocationRecord): RowError[] {
  return differences(
    l.row,
    `location ${l.code}`,
    [
      ["name", l.name, found.name],
      ["kind", l.kind, found.kind],
      ["parentCode", parentId, found.parentId],
    ],
    ["parentCode"],
  );
}

function resolveParent(
  l: LocationRow,
  existing: Map<string, LocationRecord>,
  inFile: Map<string, { row: number; id: string | null; kind: LocationRow["kind"] }>,
): { id: string } | { error: RowError } | null {
  const fail = (message: string) => ({ error: rowProblem(l.row, "parentCode", message) });
  if (!l.parentCode) return l.kind === "SITE" ? null : fail(`a ${l.kind} needs a parentCode`);
  const earlier = inFile.get(l.parentCode);
  const parent = earlier ? { id: earlier.id, kind: earlier.kind } : existing.get(l.parentCode);
  if (!parent) return fail(`no location with code ${l.parentCode} exists or comes on an earlier row`);
  if ("deactivatedAt" in parent && parent.deactivatedAt) return fail(`location ${l.parentCode} is deactivated`);
  if (parent.id === null) return fail(`parent ${l.parentCode} (row ${earlier!.row}) has errors and is not imported`);
  if (!ALLOWED_PARENT[l.kind].includes(parent.kind)) return fail(`a ${l.kind} cannot be placed under a ${parent.kind}`);
  return { id: parent.id };
}

async function planStock(
  rows: readonly CheckedRow<StockRow>[],
  lookups: ImportLookups,
): Promise<Outcome<"OPENING_STOCK">[]> {
  const repeated = firstOccurrence(rows, (s) => s.lotCode, "lotCode", "lot code");
  const values = okValues(rows);
  const [materials, locations, parties, lots, refConflicts] = await Promise.all([
    lookups.materialsBySku(unique(values.map((s) => s.sku))),
    lookups.locationsByCode(unique(values.map((s) => s.locationCode))),
    lookups.partiesByCode(unique(values.flatMap((s) => (s.supplierCode ? [s.supplierCode] : [])))),
    lookups.lotsByCode(values.map((s) => s.lotCode)),
    externalRefConflicts(rows, "lot", (s) => s.lotCode, lookups),
  ]);
  return rows.map((checked): Outcome<"OPENING_STOCK"> => {
    if (!checked.ok) return { row: checked.row, status: "failed", errors: checked.errors };
    const s = checked.value;
    const errors: RowError[] = [];
    const material = materials.get(s.sku);
    if (!material) errors.push(rowProblem(s.row, "sku", `no material with SKU ${s.sku}`));
    else if (material.tracking !== "LOT")
      errors.push(
        rowProblem(s.row, "sku", `${s.sku} is serial-tracked: receive it with receiveLot and its serial numbers`),
      );
    const location = locations.get(s.locationCode);
    if (!location) errors.push(rowProblem(s.row, "locationCode", `no location with code ${s.locationCode}`));
    const supplier = s.supplierCode ? parties.get(s.supplierCode) : null;
    if (s.supplierCode && supplier?.kind !== "SUPPLIER")
      errors.push(rowProblem(s.row, "supplierCode", `no supplier with code ${s.supplierCode}`));
    if (!lots.has(s.lotCode)) errors.push(...deactivatedReferences(s, material, location, supplier));
    const dup = repeated.get(s.row);
    if (dup) errors.push(dup);
    const refConflict = refConflicts.get(s.row);
    if (refConflict) errors.push(refConflict);
    const found = lots.get(s.lotCode);
    if (found && !errors.length)
      errors.push(
        ...lotDifferences(s, found, {
          materialId: material!.id,
          locationId: location!.id,
          supplierId: supplier?.id ?? null,
        }),
      );
    return settle<"OPENING_STOCK">(s.row, errors, found !== undefined, () => ({
      row: s.row,
      id: randomUUID(),
      code: s.lotCode,
      material: material!,
      quantity: s.quantity,
      locationId: location!.id,
      supplierId: supplier?.id ?? null,
      supplierLotCode: s.supplierLotCode,
      expiresAt: s.expiresAt,
      externalRef: s.externalRef,
    }));
  });
}

/** A lot counts as the row's when it was received with the row's values (it may have moved or been used since). */
export function lotDifferences(
  s: Pick<StockRow, "row" | "lotCode" | "quantity" | "supplierLotCode" | "expiresAt" | "externalRef">,
  found: ExistingLot,
  refs: { materialId: string; locationId: string; supplierId: string | null },
): RowError[] {
  if (found.firstKind !== "RECEIPT")
    return [rowProblem(s.row, "lotCode", `lot ${s.lotCode} exists and was not received (it was produced)`, "CONFLICT")];
  const received = found.firstQuantity !== null && Quantity.of(found.firstQuantity).eq(s.quantity);
  return differences(
    s.row,
    `lot ${s.lotCode}`,
    [
      ["sku", refs.materialId, found.materialId],
      ["locationCode", refs.locationId, found.firstLocationId],
      ["quantity", received ? found.firstQuantity : s.quantity.toFixed(), found.firstQuantity],
      ["supplierCode", refs.supplierId, found.supplierId],
      ["supplierLotCode", s.supplierLotCode, found.supplierLotCode],
      ["expiresAt", s.expiresAt, found.expiresAt],
      ...externalRefPair(s.externalRef, found.externalRef),
    ],
    ["sku", "locationCode", "supplierCode"],
  );
}

/**
 * Deactivated master data takes no new stock, as receiveLot refuses it (a lot already there with
 * the same values is still "present").
 */
function deactivatedReferences(
  s: StockRow,
  material: MaterialRecord | undefined,
  location: LocationRecord | undefined,
  supplier: PartyRecord | null | undefined,
): RowError[] {
  return [
    ...(material?.deactivatedAt ? [rowProblem(s.row, "sku", `material ${s.sku} is deactivated`)] : []),
    ...(location?.deactivatedAt
      ? [rowProblem(s.row, "locationCode", `location ${s.locationCode} is deactivated`)]
      : []),
    ...(supplier?.deactivatedAt
      ? [rowProblem(s.row, "supplierCode", `supplier ${s.supplierCode} is deactivated`)]
      : []),
  ];
}

/**
 * Re-checks a batch's new rows in the transaction that writes them: another writer may have
 * created one of their keys since the file was planned. Such a row is present (same values) or
 * a CONFLICT, as if it had been so at planning.
 */
export async function recheckItems<K extends ImportKind>(
  kind: K,
  items: readonly ItemOfKind[K][],
  lookups: ImportLookups,
): Promise<Outcome<K>[]> {
  const rechecks: {
    [P in ImportKind]: (items: readonly ItemOfKind[P][], lookups: ImportLookups) => Promise<Outcome<P>[]>;
  } = {
    MATERIALS: async (materials, l) => {
      const found = await l.materialsBySku(materials.map((m) => m.sku));
      return materials.map((m) => againOutcome(m, found.get(m.sku), (f) => materialDifferences(m, f)));
    },
    PARTIES: async (parties, l) => {
      const found = await l.partiesByCode(parties.map((p) => p.code));
      return parties.map((p) => againOutcome(p, found.get(p.code), (f) => partyDifferences(p, f)));
    },
    LOCATIONS: async (locations, l) => {
      const found = await l.locationsByCode(locations.map((p) => p.code));
      return locations.map((loc) =>
        againOutcome(loc, found.get(loc.code), (f) => locationDifferences(loc, loc.parentId, f)),
      );
    },
    OPENING_STOCK: async (lots, l) => {
      const found = await l.lotsByCode(lots.map((lot) => lot.code));
      return lots.map((lot) =>
        againOutcome(lot, found.get(lot.code), (f) =>
          lotDifferences({ ...lot, lotCode: lot.code }, f, {
            materialId: lot.material.id,
            locationId: lot.locationId,
            supplierId: lot.supplierId,
          }),
        ),
      );
    },
  };
  return (rechecks[kind] as (items: readonly ItemOfKind[K][], lookups: ImportLookups) => Promise<Outcome<K>[]>)(
    items,
    lookups,
  );
}

function againOutcome<K extends ImportKind, F>(
  item: ItemOfKind[K],
  found: F | undefined,
  compare: (found: F) => RowError[],
): Outcome<K> {
  if (found === undefined) return { row: item.row, status: "new", item };
  const errors = compare(found);
  return errors.length ? { row: item.row, status: "failed", errors } : { row: item.row, status: "present" };
}
