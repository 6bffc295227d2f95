import { DateTimeScalar, code, type Quantity } from "@lotgraph/kit";
import type { z } from "zod";
import { isExpired } from "../lot-rules.ts";
import { createLocationSchema, createMaterialSchema, createPartySchema } from "../master-data.ts";
import { receiveLotSchema } from "../receiving.ts";
import type { LocationKind, MaterialKind, PartyKind, Tracking } from "../records.ts";
import { IMPORT_COLUMNS, rowProblem, type ImportKind, type RawRow, type RowError } from "./import-format.ts";

/*
 * One row's own values, checked with the very schemas of createMaterial, createLocation,
 * createParty and receiveLot, so a value an import accepts is one the mutation accepts. What a
 * row refers to (a SKU, a code) is checked against the database afterwards (import-plan.ts).
 */

export interface MaterialRow {
  row: number;
  sku: string;
  name: string;
  uom: string;
  kind: MaterialKind;
  tracking: Tracking;
  inspectionRequired: boolean;
  /** The ERP's own key (unique among materials), or null. */
  externalRef: string | null;
}

export interface LocationRow {
  row: number;
  code: string;
  name: string;
  kind: LocationKind;
  parentCode: string | null;
}

export interface PartyRow {
  row: number;
  code: string;
  name: string;
  kind: PartyKind;
  externalRef: string | null;
}

export interface StockRow {
  row: number;
  sku: string;
  locationCode: string;
  lotCode: string;
  quantity: Quantity;
  supplierCode: string | null;
  supplierLotCode: string | null;
  expiresAt: Date | null;
  externalRef: string | null;
}

export interface RowOfKind {
  MATERIALS: MaterialRow;
  LOCATIONS: LocationRow;
  PARTIES: PartyRow;
  OPENING_STOCK: StockRow;
}

/** A row whose own values are valid, or its errors (one per column at fault). */
export type CheckedRow<T> = { row: number; ok: true; value: T } | { row: number; ok: false; errors: RowError[] };

const enumColumns: Record<ImportKind, readonly string[]> = {
  MATERIALS: ["kind", "tracking"],
  LOCATIONS: ["kind"],
  PARTIES: ["kind"],
  OPENING_STOCK: [],
};

const materialSchema = createMaterialSchema.omit({ idempotencyKey: true });
const locationSchema = createLocationSchema.pick({ code: true, name: true, kind: true }).extend({
  parentCode: code().nullish(),
});
const partySchema = createPartySchema.omit({ idempotencyKey: true });
const stockSchema = receiveLotSchema
  .pick({ quantity: true, code: true, supplierLotCode: true, externalRef: true })
  .extend({
    sku: code(),
    locationCode: code(),
    supplierCode: code().nullish(),
  });
/** receiveLot's `code` is the lot code; the file calls it lotCode. */
const STOCK_COLUMN: Record<string, string> = { code: "lotCode" };

/** Checks one row of `kind` as read; `now` decides what is already expired. */
export function checkRow<K extends ImportKind>(kind: K, raw: RawRow, now: Date): CheckedRow<RowOfKind[K]> {
  const errors = [...raw.problems];
  for (const column of IMPORT_COLUMNS[kind].required)
    if (raw.values[column] == null && !errors.some((e) => e.column === column))
      errors.push(rowProblem(raw.row, column, "required"));
  // Enum values are matched whatever their case ("raw" is RAW), as people type them.
  const values: Record<string, string | boolean | undefined> = {};
  for (const [column, value] of Object.entries(raw.values))
    values[column] = value === null ? undefined : enumColumns[kind].includes(column) ? value.toUpperCase() : value;
  const checked = checkValues(kind, raw.row, values, now, errors);
  if (errors.length || !checked) return { row: raw.row, ok: false, errors: dedupe(errors) };
  return { row: raw.row, ok: true, value: checked as RowOfKind[K] };
}

function checkValues(
  kind: ImportKind,
  row: number,
  values: Record<string, string | boolean | undefined>,
  now: Date,
  errors: RowError[],
): RowOfKind[ImportKind] | null {
  switch (kind) {
    case "MATERIALS": {
      const inspection = parseBoolean(values["inspectionRequired"]);
      if (typeof inspection === "string") errors.push(rowProblem(row, "inspectionRequired", inspection));
      const parsed = parsed_(materialSchema, { ...values, inspectionRequired: inspection === true }, row, errors);
      return (
        parsed && {
          row,
          ...parsed,
          inspectionRequired: parsed.inspectionRequired ?? false,
          externalRef: parsed.externalRef ?? null,
        }
      );
    }
    case "LOCATIONS": {
      const parsed = parsed_(locationSchema, values, row, errors);
      return parsed && { row, ...parsed, parentCode: parsed.parentCode ?? null };
    }
    case "PARTIES": {
      const parsed = parsed_(partySchema, values, row, errors);
      return parsed && { row, ...parsed, externalRef: parsed.externalRef ?? null };
    }
    case "OPENING_STOCK": {
      const expiresAt = parseExpiry(values["expiresAt"], now);
      if (typeof expiresAt === "string") errors.push(rowProblem(row, "expiresAt", expiresAt));
      const { lotCode, ...rest } = values;
      const parsed = parsed_(stockSchema, { ...rest, code: lotCode }, row, errors, STOCK_COLUMN);
      if (!parsed || typeof expiresAt === "string") return null;
      return {
        row,
        sku: parsed.sku,
        locationCode: parsed.locationCode,
        lotCode: parsed.code,
        quantity: parsed.quantity,
        supplierCode: parsed.supplierCode ?? null,
        supplierLotCode: parsed.supplierLotCode ?? null,
        expiresAt,
        externalRef: parsed.externalRef ?? null,
      };
    }
  }
}

/** The schema's output, or null with every issue added to `errors` under its column's name. */
function parsed_<S extends z.ZodType>(
  schema: S,
  values: unknown,
  row: number,
  errors: RowError[],
  rename: Record<string, string> = {},
): z.output<S> | null {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "");
    const column = rename[field] ?? field;
    // A missing required value was reported as "required" already.
    if (!errors.some((e) => e.column === column)) errors.push(rowProblem(row, column || null, issue.message));
  }
  return null;
}

function parseBoolean(value: string | boolean | undefined): boolean | string {
  if (value === undefined || typeof value === "boolean") return value ?? false;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return `must be true or false, got "${value}"`;
}

/**
 * A date (YYYY-MM-DD, read as midnight UTC) or a date-time as the DateTime scalar takes it.
 * Material already expired is refused, as receiveLot refuses it.
 */
function parseExpiry(value: string | boolean | undefined, now: Date): Date | null | string {
  if (value === undefined || typeof value === "boolean") return null;
  let date: Date;
  try {
    date = DateTimeScalar.parseValue(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  } catch {
    return `must be a date (YYYY-MM-DD) or an ISO 8601 date-time with time zone, got "${value}"`;
  }
  if (isExpired({ expiresAt: date }, now))
    return `the lot expired at ${date.toISOString()}: expired material is not received`;
  return date;
}

function dedupe(errors: RowError[]): RowError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.column}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The values of the rows whose own checks passed. */
export function okValues<T>(rows: readonly CheckedRow<T>[]): T[] {
  return rows.flatMap((r) => (r.ok ? [r.value] : []));
}

export const unique = (values: readonly string[]) => [...new Set(values)];
