import { CsvError, parse } from "csv-parse/sync";
import { badInput } from "@lotgraph/kit";

export type ImportKind = "MATERIALS" | "LOCATIONS" | "PARTIES" | "OPENING_STOCK";
export type ImportFormat = "CSV" | "JSON";

/**
 * Under the 2 MiB request limit of the gateway and the subgraphs (kit serve.ts), with room for
 * the rest of the request and for JSON's escaping of the content: a larger file is refused here
 * with a reason, not by a bare 413.
 */
export const MAX_IMPORT_BYTES = 1.5 * 1024 * 1024;
/** A job's rows are checked in memory at once; past this, split the file. */
export const MAX_IMPORT_ROWS = 50_000;

/** The columns of each kind, as CSV header names and JSON keys (case-sensitive). */
export const IMPORT_COLUMNS: Record<ImportKind, { required: readonly string[]; optional: readonly string[] }> = {
  MATERIALS: { required: ["sku", "name", "uom", "kind", "tracking"], optional: ["inspectionRequired", "externalRef"] },
  LOCATIONS: { required: ["code", "name", "kind"], optional: ["parentCode"] },
  PARTIES: { required: ["code", "name", "kind"], optional: ["externalRef"] },
  OPENING_STOCK: {
    required: ["sku", "locationCode", "lotCode", "quantity"],
    optional: ["supplierCode", "supplierLotCode", "expiresAt", "externalRef"],
  },
};

/** One problem of one row: `row` is 1-based over data rows (a CSV header is not a row). */
export interface RowError {
  row: number;
  /** null: the row as a whole (a JSON element that is not an object, a CSV record of the wrong width). */
  column: string | null;
  code: "BAD_USER_INPUT" | "CONFLICT";
  message: string;
}

/** A data row as read: each column's text (null when empty or absent), and what is wrong with its shape. */
export interface RawRow {
  row: number;
  values: Readonly<Record<string, string | null>>;
  problems: RowError[];
}

/**
 * Reads the content into rows, refusing (BAD_USER_INPUT on `content`) what cannot be read as a
 * whole: over the limits, not CSV or JSON, a CSV header that lacks a required column or names an
 * unknown one, no data rows. What is wrong with one row only is left to that row's problems.
 */
export function readImportRows(kind: ImportKind, format: ImportFormat, content: string): RawRow[] {
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_IMPORT_BYTES)
    throw badInput(
      "content",
      `the content is ${bytes} bytes; at most ${MAX_IMPORT_BYTES} are accepted in one import: split the file`,
    );
  const rows = format === "CSV" ? readCsv(kind, content) : readJson(kind, content);
  if (rows.length === 0) throw badInput("content", "there are no data rows");
  if (rows.length > MAX_IMPORT_ROWS)
    throw badInput("content", `${rows.length} data rows; at most ${MAX_IMPORT_ROWS} in one import: split the file`);
  return rows;
}

function readCsv(kind: ImportKind, content: string): RawRow[] {
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    if (error instanceof CsvError) throw badInput("content", `not valid CSV: ${error.message}`);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw badInput("content", "there is no header row");
  checkHeader(kind, header);
  return data.map((fields, index) => {
    const row = index + 1;
    const values: Record<string, string | null> = {};
    header.forEach((column, i) => (values[column] = fields[i] ? fields[i] : null));
    const problems: RowError[] =
      fields.length === header.length
        ? []
        : [rowProblem(row, null, `has ${fields.length} fields; the header has ${header.length}`)];
    return { row, values, problems };
  });
}

function checkHeader(kind: ImportKind, header: readonly string[]): void {
  const { required, optional } = IMPORT_COLUMNS[kind];
  const known = new Set([...required, ...optional]);
  const listed = `the columns of ${kind} are ${[...required, ...optional.map((c) => `${c} (optional)`)].join(", ")}`;
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length)
    throw badInput("content", `unknown column ${unknown.map(quoted).join(", ")} in the header: ${listed}`);
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length) throw badInput("content", `the header lacks ${missing.map(quoted).join(", ")}: ${listed}`);
  const repeated = header.filter((column, i) => header.indexOf(column) !== i);
  if (repeated.length)
    throw badInput("content", `column ${repeated.map(quoted).join(", ")} appears twice in the header`);
}

function readJson(kind: ImportKind, content: string): RawRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw badInput("content", `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed)) throw badInput("content", "JSON content must be an array of objects, one per row");
  const { required, optional } = IMPORT_COLUMNS[kind];
  const known = new Set([...required, ...optional]);
  return parsed.map((element: unknown, index): RawRow => {
    const row = index + 1;
    if (typeof element !== "object" || element === null || Array.isArray(element))
      return { row, values: {}, problems: [rowProblem(row, null, "is not an object")] };
    const values: Record<string, string | null> = {};
    const problems: RowError[] = [];
    for (const [column, value] of Object.entries(element)) {
      if (!known.has(column))
        problems.push(rowProblem(row, column, `unknown column; ${kind} has ${[...known].join(", ")}`));
      else if (value === null || value === undefined) values[column] = null;
      else if (typeof value === "string") values[column] = value.trim() || null;
      else if (typeof value === "number" || typeof value === "boolean") values[column] = String(value);
      else problems.push(rowProblem(row, column, "must be a text, a number or a boolean"));
    }
    return { row, values, problems };
  });
}

export function rowProblem(
  row: number,
  column: string | null,
  message: string,
  code: RowError["code"] = "BAD_USER_INPUT",
): RowError {
  return { row, column, code, message };
}

const quoted = (column: string) => `"${column}"`;
