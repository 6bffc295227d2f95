import type { TraceabilityClient, TraceabilityTx } from "../database.ts";
import {
  referencedKeys,
  type ExportFactRows,
  type LocationNode,
  type LotRows,
  type RelatedRows,
} from "./export-fact-rows.ts";

type Db = TraceabilityClient | TraceabilityTx;

/**
 * The last round of an export's reads: the locations (with their ancestors), lines and parties
 * the lot rows and related rows name.
 */
export async function masterDataRows(
  db: Db,
  lotRows: LotRows,
  related: RelatedRows,
): Promise<Pick<ExportFactRows, "locationTree" | "lines" | "parties">> {
  const { lineIds, locationIds, partyIds } = referencedKeys(lotRows, related);
  const [locationTree, lines, parties] = await Promise.all([
    locationsWithAncestors(db, locationIds),
    db.lineFact.findMany({ where: { lineId: { in: lineIds } } }),
    db.partyFact.findMany({ where: { partyId: { in: partyIds } } }),
  ]);
  return { locationTree, lines, parties };
}

/**
 * The given locations and all their ancestors, in one recursive query (the tree is site → area
 * → line → bin, so a few levels; the bound only guards against a malformed tree).
 */
async function locationsWithAncestors(db: Db, locationIds: readonly string[]): Promise<Map<string, LocationNode>> {
  if (locationIds.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<
    Array<{ id: string; code: string | null; name: string | null; parent_id: string | null }>
  >(
    `WITH RECURSIVE up(id, depth) AS (
       SELECT location_id, 0 FROM location_fact WHERE location_id = ANY($1::uuid[])
       UNION
       SELECT l.parent_id, up.depth + 1 FROM up JOIN location_fact l ON l.location_id = up.id
        WHERE l.parent_id IS NOT NULL AND up.depth < 16)
     SELECT DISTINCT l.location_id::text AS id, l.code, l.name, l.parent_id::text AS parent_id
       FROM up JOIN location_fact l ON l.location_id = up.id`,
    [...locationIds],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, parentId: r.parent_id }]));
}

/**
 * When a run transformed, in SQL: its first output record, else its first consumption (a run with
 * inputs only so far). Over the whole run, not just the lots an export shows, so every export that
 * shows a run shows it at the same time. `run` is the SQL expression of the run's id.
 */
export const RUN_TIME_SQL = (run: string) =>
  `COALESCE((SELECT min(o.recorded_at) FROM run_output_lot o WHERE o.run_id = ${run}),
            (SELECT min(c.consumed_at) FROM run_consumption c WHERE c.run_id = ${run}))`;

/** When each run transformed (see {@link RUN_TIME_SQL}); a run with neither time is left out. */
export async function runTimes(db: Db, runIds: readonly string[]): Promise<Map<string, Date>> {
  if (runIds.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ run_id: string; at: Date | null }>>(
    `SELECT r.run_id::text AS run_id, ${RUN_TIME_SQL("r.run_id")} AS at FROM unnest($1::uuid[]) AS r(run_id)`,
    [...runIds],
  );
  return new Map(rows.flatMap((r) => (r.at === null ? [] : [[r.run_id, new Date(r.at)] as const])));
}
