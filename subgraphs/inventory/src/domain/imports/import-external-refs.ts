import { rowProblem, type RowError } from "./import-format.ts";
import type { ImportLookups } from "./import-plan.ts";
import { okValues, unique, type CheckedRow } from "./import-rows.ts";

/**
 * ERP keys (externalRef) are unique per kind: a key on an earlier row of the file, or one an
 * entity with another SKU or code already has, is a CONFLICT on the row's externalRef.
 */
export async function externalRefConflicts<T extends { row: number; externalRef: string | null }>(
  rows: readonly CheckedRow<T>[],
  kind: "material" | "party" | "lot",
  keyOf: (value: T) => string,
  lookups: ImportLookups,
): Promise<Map<number, RowError>> {
  const values = okValues(rows).filter((value) => value.externalRef !== null);
  const owners = await lookups.externalRefOwners(kind, unique(values.map((value) => value.externalRef!)));
  const firstRow = new Map<string, number>();
  const conflicts = new Map<number, RowError>();
  for (const value of values) {
    const ref = value.externalRef!;
    const owner = owners.get(ref);
    const earlier = firstRow.get(ref);
    // A row whose key another entity has is refused, and does not claim the key in the file.
    if (owner !== undefined && owner !== keyOf(value))
      conflicts.set(
        value.row,
        rowProblem(value.row, "externalRef", `externalRef ${ref} belongs to ${kind} ${owner}`, "CONFLICT"),
      );
    else if (earlier !== undefined)
      conflicts.set(
        value.row,
        rowProblem(value.row, "externalRef", `externalRef ${ref} is also on row ${earlier}`, "CONFLICT"),
      );
    else firstRow.set(ref, value.row);
  }
  return conflicts;
}

/** The externalRef column compared, when the row gives one (an empty cell leaves it as it is). */
export function externalRefPair(given: string | null, existing: string | null): Array<[string, unknown, unknown]> {
  return given === null ? [] : [["externalRef", given, existing]];
}
