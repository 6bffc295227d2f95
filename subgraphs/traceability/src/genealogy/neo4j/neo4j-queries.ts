/**
 * Every Cypher statement of the Neo4j genealogy adapter, in one place so that
 * `test/cypher-lint.test.ts` can validate each offline; the conformance suite runs them on a server.
 *
 * Graph model:
 * - `(:Lot {lotId, code, materialId, createdAt, supplierLotCode})`, unique on lotId.
 * - `(:Lot)-[:PARENT_OF {quantity, runId, createdAt}]->(:Lot)`: one edge per parent/child pair,
 *   as in the SQL store; quantity is a decimal string (Neo4j has no decimal type, and floats
 *   would drift).
 * - The run-level rule (DESIGN.md §4.4) keeps the run as a node, so that whichever of its events
 *   comes first, the other finds it: `(:Run {runId})-[:CONSUMED {consumptionId, quantity}]->(:Lot)`
 *   (one relationship per consumption event, MERGEd on its id, so a replay adds nothing) and
 *   `(:Run)-[:OUTPUT]->(:Lot)`. An edge's quantity is the sum of the run's CONSUMED quantities.
 *
 * Every lookup of a lot by id or supplier lot code carries a seek hint (`USING INDEX SEEK`). The
 * planner costs an index by its sampled size, and samples lag behind a bulk load or a rebuild:
 * on a server just filled, a level of `trace` was planned as a scan of the whole lot
 * index per frontier lot and took a second instead of milliseconds (issue 16's bench).
 *
 * Every variable-length pattern is directed and bounded; Cypher takes no parameter as a bound, so
 * bounds are integer literals checked by {@link hops}. Walks that return many lots (trace,
 * descendants) go one single-hop level per statement instead: `*1..n` enumerates paths, which
 * explodes on the diamonds split and merged lots make, and BFS per level gives fewest-links
 * depths exactly.
 */

/** `*1..max` for a variable-length relationship, from a checked integer (never from input text). */
export function hops(max: number): string {
  if (!Number.isSafeInteger(max) || max < 1 || max > 10_000) throw new RangeError(`bad hop bound ${max}`);
  return `*1..${max}`;
}

/** How far the cycle check looks: far deeper than any plant's genealogy (as in the SQL store). */
export const MAX_CYCLE_CHECK_DEPTH = 1000;

/** Run by `ensureSchema()` at start, one statement per transaction; all idempotent. */
export const SCHEMA = [
  "CREATE CONSTRAINT genealogy_lot_id IF NOT EXISTS FOR (l:Lot) REQUIRE l.lotId IS UNIQUE",
  "CREATE CONSTRAINT genealogy_run_id IF NOT EXISTS FOR (r:Run) REQUIRE r.runId IS UNIQUE",
  "CREATE CONSTRAINT genealogy_lock_name IF NOT EXISTS FOR (g:GenealogyLock) REQUIRE g.name IS UNIQUE",
  "CREATE INDEX genealogy_lot_supplier_lot_code IF NOT EXISTS FOR (l:Lot) ON (l.supplierLotCode)",
] as const;

/**
 * Taken first by every transaction that may add an edge: writing the lock node holds it until
 * commit, so two consumers (DESIGN.md §7) cannot each add one half of a cycle unseen.
 */
export const LOCK_EDGES = `MERGE (g:GenealogyLock {name: 'edges'})
SET g.lockedAt = timestamp()`;

/**
 * Fills in what is known: a missing or empty `$code` keeps the stored code (an event that does not
 * know the code must not erase it), and `$hasSupplierLotCode` false keeps the stored supplier lot code.
 */
export const UPSERT_LOT = `MERGE (l:Lot {lotId: $lotId})
SET l.materialId = coalesce(l.materialId, $materialId),
    l.createdAt = coalesce(l.createdAt, datetime($createdAt)),
    l.code = CASE WHEN $code IS NULL OR $code = '' THEN l.code ELSE $code END,
    l.supplierLotCode = CASE WHEN $hasSupplierLotCode THEN $supplierLotCode ELSE l.supplierLotCode END`;

/** One consumption; returns the run's consumptions of that lot and the run's outputs so far. */
export const RECORD_CONSUMPTION = `MERGE (r:Run {runId: $runId})
MERGE (l:Lot {lotId: $lotId})
MERGE (r)-[c:CONSUMED {consumptionId: $consumptionId}]->(l)
ON CREATE SET c.quantity = $quantity
WITH r, l
MATCH (r)-[each:CONSUMED]->(l)
WITH r, collect(each.quantity) AS quantities
OPTIONAL MATCH (r)-[:OUTPUT]->(o:Lot)
RETURN quantities, collect(o.lotId) AS outputs`;

/** One output; returns every lot the run consumed so far with its consumptions. */
export const RECORD_OUTPUT = `MERGE (r:Run {runId: $runId})
MERGE (l:Lot {lotId: $lotId})
MERGE (r)-[:OUTPUT]->(l)
WITH r
MATCH (r)-[c:CONSUMED]->(i:Lot)
RETURN i.lotId AS lotId, collect(c.quantity) AS quantities`;

/**
 * Writes a run's edges (`$edges`: parentLotId, childLotId, quantity), each unless the child
 * already reaches the parent, which would close a cycle; one row per edge says which it was.
 * Both lots exist: the run's MERGEs made them. An edge already there only gets its new quantity:
 * it closed no cycle when it was written, and a consumption re-links every output of its run, so
 * skipping the search there keeps a long run's consumptions cheap.
 */
export const LINK_EDGES = `UNWIND $edges AS e
MATCH (p:Lot {lotId: e.parentLotId}) USING INDEX SEEK p:Lot(lotId)
MATCH (c:Lot {lotId: e.childLotId}) USING INDEX SEEK c:Lot(lotId)
OPTIONAL MATCH (p)-[known:PARENT_OF]->(c)
CALL (p, c, known) {
  WITH p, c, known WHERE known IS NULL
  OPTIONAL MATCH path = shortestPath((c)-[:PARENT_OF${hops(MAX_CYCLE_CHECK_DEPTH)}]->(p))
  RETURN count(path) > 0 AS closesCycle
}
FOREACH (_ IN CASE WHEN closesCycle THEN [] ELSE [1] END |
  MERGE (p)-[r:PARENT_OF]->(c)
  ON CREATE SET r.runId = $runId, r.createdAt = timestamp()
  SET r.quantity = e.quantity
)
RETURN e.parentLotId AS parentLotId, e.childLotId AS childLotId, closesCycle`;

/** lot → direct parents, oldest link first. */
export const PARENTS_OF = `UNWIND $lotIds AS id
MATCH (p:Lot)-[e:PARENT_OF]->(c:Lot {lotId: id}) USING INDEX SEEK c:Lot(lotId)
WITH c, p, e ORDER BY e.createdAt
RETURN c.lotId AS lotId, collect(p.lotId) AS related`;

/** lot → direct children, oldest link first. */
export const CHILDREN_OF = `UNWIND $lotIds AS id
MATCH (p:Lot {lotId: id})-[e:PARENT_OF]->(c:Lot) USING INDEX SEEK p:Lot(lotId)
WITH p, c, e ORDER BY e.createdAt
RETURN p.lotId AS lotId, collect(c.lotId) AS related`;

/** One BFS level downstream: every edge out of the frontier. */
export const LEVEL_DOWNSTREAM = `UNWIND $frontier AS id
MATCH (p:Lot {lotId: id})-[e:PARENT_OF]->(c:Lot) USING INDEX SEEK p:Lot(lotId)
RETURN p.lotId AS parent, c.lotId AS child, e.quantity AS quantity, e.runId AS runId`;

/** One BFS level upstream: every edge into the frontier. */
export const LEVEL_UPSTREAM = `UNWIND $frontier AS id
MATCH (p:Lot)-[e:PARENT_OF]->(c:Lot {lotId: id}) USING INDEX SEEK c:Lot(lotId)
RETURN p.lotId AS parent, c.lotId AS child, e.quantity AS quantity, e.runId AS runId`;

export const LOTS_BY_SUPPLIER_LOT_CODE = `MATCH (l:Lot) USING INDEX SEEK l:Lot(supplierLotCode)
WHERE l.supplierLotCode = $code
RETURN l.lotId AS lotId
ORDER BY lotId`;

/** Tests only: removes what a test wrote (the conformance suite shares one Neo4j database). */
export const DELETE_FOR_TESTS = `UNWIND $lotIds AS id
MATCH (l:Lot {lotId: id})
DETACH DELETE l
WITH count(*) AS lots
UNWIND $runIds AS runId
MATCH (r:Run {runId: runId})
DETACH DELETE r`;

/**
 * `rebuild-genealogy` empties the graph before replaying: one batch of lots (then of runs) per
 * transaction, since a single DETACH DELETE of a large genealogy would hold every deleted node and
 * relationship in the transaction state at once. `$batch` must be sent as a Neo4j integer (LIMIT
 * refuses a float, and a JS number is sent as one). The GenealogyLock node is kept: MERGE finds it.
 */
export const CLEAR_LOTS_BATCH = `MATCH (l:Lot)
WITH l LIMIT $batch
DETACH DELETE l
RETURN count(*) AS deleted`;

export const CLEAR_RUNS_BATCH = `MATCH (r:Run)
WITH r LIMIT $batch
DETACH DELETE r
RETURN count(*) AS deleted`;

/** What the rebuild reports: lots and parent → child edges in the graph. */
export const COUNT_GRAPH = `MATCH (l:Lot)
WITH count(l) AS lots
OPTIONAL MATCH (:Lot)-[e:PARENT_OF]->(:Lot)
RETURN lots, count(e) AS edges`;

/** Every statement, by name: what the offline lint walks. */
export const ALL_QUERIES: Record<string, string> = {
  ...Object.fromEntries(SCHEMA.map((statement, i) => [`SCHEMA[${i}]`, statement])),
  LOCK_EDGES,
  UPSERT_LOT,
  RECORD_CONSUMPTION,
  RECORD_OUTPUT,
  LINK_EDGES,
  PARENTS_OF,
  CHILDREN_OF,
  LEVEL_DOWNSTREAM,
  LEVEL_UPSTREAM,
  LOTS_BY_SUPPLIER_LOT_CODE,
  DELETE_FOR_TESTS,
  CLEAR_LOTS_BATCH,
  CLEAR_RUNS_BATCH,
  COUNT_GRAPH,
};
