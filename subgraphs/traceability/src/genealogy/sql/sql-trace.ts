import { traceByLevels } from "../breadth-first.ts";
import type { GenealogyEdgeRecord, TraceDirection, TraceResult } from "../port/genealogy-store.ts";

/** The one method of a Prisma client (or transaction) the walks need. */
export interface RawQuery {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

/**
 * How `trace` walks the edge table. Both are exact BFS; the bench (`npm run bench -- genealogy`)
 * measures both on the same data.
 * - `cte`: one statement. A recursive CTE over (lot, depth) with UNION, so a lot reached twice
 *   at the same depth is expanded once and the work is bounded by lots × depth, never by paths;
 *   MIN(depth) per lot gives the fewest links. The edges out of every returned lot are joined
 *   once more: those landing inside the set are the result's edges, any landing outside (only
 *   possible from the last level) is the `truncated` probe.
 * - `frontier`: one indexed single-hop query per level from the client, visited set in JS.
 *   Simpler plans, but maxDepth + 1 round trips and no single snapshot.
 */
export type TraceStrategy = "cte" | "frontier";

/** Column pairs per direction: `from` is the column matched against the walk, `to` the next lot. */
const COLUMNS: Record<TraceDirection, { from: string; to: string }> = {
  DOWNSTREAM: { from: "parent_lot_id", to: "child_lot_id" },
  UPSTREAM: { from: "child_lot_id", to: "parent_lot_id" },
};

/**
 * Results come back as one row of parallel arrays, not a row per lot and per edge: on PGlite
 * through Prisma that cut a 900-row trace from ~36 ms to ~6 ms (decoding rows dominated; building
 * JSON in SQL was in between, ~15 ms). Each set of arrays comes from one aggregate pass over one
 * input, so its elements line up.
 */
interface TraceArrays {
  ids: string[] | null;
  depths: number[] | null;
  parents: string[] | null;
  children: string[] | null;
  quantities: Array<string | null> | null;
  runs: Array<string | null> | null;
  truncated?: boolean;
}

const EDGE_ARRAYS = `array_agg(parent_lot_id::text) AS parents, array_agg(child_lot_id::text) AS children,
       array_agg(quantity::text) AS quantities, array_agg(run_id::text) AS runs`;

/**
 * The lots of `$2` that the walk from `$1` in `direction` reaches within `$3` links: `$1`'s
 * ancestors among them (UPSTREAM) or its descendants (DOWNSTREAM). The cycle check's one walk.
 */
export function reachedAmongSql(direction: TraceDirection): string {
  const { from, to } = COLUMNS[direction];
  return `WITH RECURSIVE walk(lot_id, depth) AS (
      SELECT ${to}, 1 FROM genealogy_edge WHERE ${from} = $1::uuid
      UNION
      SELECT e.${to}, w.depth + 1 FROM genealogy_edge e JOIN walk w ON e.${from} = w.lot_id
       WHERE w.depth < $3
    )
    SELECT DISTINCT lot_id::text AS lot_id FROM walk WHERE lot_id = ANY($2::uuid[])`;
}

/** The statement of the `cte` strategy; `$1` root, `$2` maxDepth. Exported for inspection (EXPLAIN). */
export function traceCteSql(direction: TraceDirection): string {
  const { from, to } = COLUMNS[direction];
  return `WITH RECURSIVE walk(lot_id, depth) AS (
      SELECT $1::uuid, 0
      UNION
      SELECT e.${to}, w.depth + 1
        FROM walk w JOIN genealogy_edge e ON e.${from} = w.lot_id
       WHERE w.depth < $2
    ),
    nodes AS MATERIALIZED (SELECT lot_id, min(depth) AS depth FROM walk GROUP BY lot_id),
    reach AS MATERIALIZED (
      SELECT e.parent_lot_id, e.child_lot_id, e.quantity, e.run_id, (m.lot_id IS NOT NULL) AS inside
        FROM nodes n JOIN genealogy_edge e ON e.${from} = n.lot_id
        LEFT JOIN nodes m ON m.lot_id = e.${to}
    )
    SELECT n.ids, n.depths, e.parents, e.children, e.quantities, e.runs,
           EXISTS (SELECT 1 FROM reach WHERE NOT inside) AS truncated
      FROM (SELECT array_agg(lot_id::text) AS ids, array_agg(depth) AS depths FROM nodes) n,
           (SELECT ${EDGE_ARRAYS} FROM reach WHERE inside) e`;
}

/** `trace` in one recursive statement (see {@link TraceStrategy}). */
export async function traceByCte(
  db: RawQuery,
  lotId: string,
  direction: TraceDirection,
  maxDepth: number,
): Promise<TraceResult> {
  const [row] = await db.$queryRawUnsafe<TraceArrays[]>(traceCteSql(direction), lotId, maxDepth);
  const ids = row?.ids ?? [];
  const depths = row?.depths ?? [];
  return {
    nodes: ids.map((id, i) => ({ lotId: id, depth: Number(depths[i]) })),
    edges: row ? edgesOf(row) : [],
    truncated: row?.truncated === true,
  };
}

function edgesOf(row: TraceArrays): GenealogyEdgeRecord[] {
  const children = row.children ?? [];
  const quantities = row.quantities ?? [];
  const runs = row.runs ?? [];
  return (row.parents ?? []).map((parent, i) => ({
    parentLotId: parent,
    childLotId: children[i]!,
    quantity: quantities[i] ?? null,
    runId: runs[i] ?? null,
  }));
}

/** The single-hop statement of the `frontier` strategy; `$1` the frontier's lot ids. */
export function frontierSql(direction: TraceDirection): string {
  const { from } = COLUMNS[direction];
  return `SELECT ${EDGE_ARRAYS} FROM genealogy_edge WHERE ${from} = ANY($1::uuid[])`;
}

/** `trace` one level per query (see {@link TraceStrategy}), through the shared BFS driver. */
export function traceByFrontier(
  db: RawQuery,
  lotId: string,
  direction: TraceDirection,
  maxDepth: number,
): Promise<TraceResult> {
  const sql = frontierSql(direction);
  return traceByLevels(lotId, direction, maxDepth, async (frontier) => {
    const [row] = await db.$queryRawUnsafe<TraceArrays[]>(sql, frontier);
    return row ? edgesOf(row) : [];
  });
}

/** Descendants of `starts` (the starts excluded), at most `limit` of them; `$1` starts, `$2` limit. */
export const DESCENDANTS_SQL = `WITH RECURSIVE d(lot_id) AS (
    SELECT unnest($1::uuid[])
    UNION
    SELECT e.child_lot_id FROM d JOIN genealogy_edge e ON e.parent_lot_id = d.lot_id
  )
  SELECT lot_id::text AS lot_id FROM d WHERE lot_id <> ALL($1::uuid[]) LIMIT $2`;
