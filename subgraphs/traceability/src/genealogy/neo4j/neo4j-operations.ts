import { Quantity } from "@lotgraph/kit";
import type { ManagedTransaction } from "neo4j-driver";
import { descendantsByLevels, traceByLevels } from "../breadth-first.ts";
import type {
  GenealogyEdgeRecord,
  GenealogyLotNode,
  LinkResult,
  TraceDirection,
  TraceResult,
} from "../port/genealogy-store.ts";
import * as Q from "./neo4j-queries.ts";

/**
 * The Cypher of each port operation, written once for both ways of running it: the one-call
 * managed transactions of {@link Neo4jGenealogyStore} and the projection's per-event transaction.
 */

type Edge = { parentLotId: string; childLotId: string };

/**
 * What every operation below runs its Cypher on: a managed transaction (one port call, retried by
 * the driver) or the explicit transaction of one projection event ({@link Neo4jEventTransaction}).
 */
export type CypherRunner = Pick<ManagedTransaction, "run">;

export async function writeLot(tx: CypherRunner, node: GenealogyLotNode): Promise<void> {
  await tx.run(Q.UPSERT_LOT, {
    lotId: node.lotId,
    materialId: node.materialId,
    createdAt: node.createdAt.toISOString(),
    code: node.code,
    hasSupplierLotCode: node.supplierLotCode !== undefined,
    supplierLotCode: node.supplierLotCode ?? null,
  });
}

/** The run writers below expect the caller to hold the edge lock ({@link Q.LOCK_EDGES}). */
export async function writeRunInput(
  tx: CypherRunner,
  runId: string,
  lotId: string,
  quantity: string,
  consumptionId: string,
): Promise<LinkResult> {
  const result = await tx.run<{ quantities: string[]; outputs: string[] }>(Q.RECORD_CONSUMPTION, {
    runId,
    lotId,
    consumptionId,
    quantity,
  });
  const row = result.records[0];
  const total = edgeQuantity(row?.get("quantities") ?? [quantity]);
  const edges = (row?.get("outputs") ?? []).map((child) => ({ parentLotId: lotId, childLotId: child }));
  return link(tx, edges, runId, new Map([[lotId, total]]));
}

export async function writeRunOutput(tx: CypherRunner, runId: string, lotId: string): Promise<LinkResult> {
  const result = await tx.run<{ lotId: string; quantities: string[] }>(Q.RECORD_OUTPUT, { runId, lotId });
  const totals = new Map(result.records.map((r) => [r.get("lotId"), edgeQuantity(r.get("quantities"))]));
  const edges = [...totals.keys()].map((parent) => ({ parentLotId: parent, childLotId: lotId }));
  return link(tx, edges, runId, totals);
}

/**
 * An edge's quantity: the run's consumptions of the parent (kept as the text they came in) summed
 * as the SQL store sums its numeric(20, 6) rows, each rounded to 6 decimals as stored, and printed
 * as PostgreSQL prints the sum ("12.500000"), so that both stores return the same text.
 */
function edgeQuantity(consumed: readonly string[]): string {
  return Quantity.sum(consumed.map((text) => Quantity.asStored(text))).toFixed(6);
}

export async function readRelated(
  tx: CypherRunner,
  query: string,
  lotIds: readonly string[],
): Promise<Map<string, string[]>> {
  const result = await tx.run<{ lotId: string; related: string[] }>(query, { lotIds: [...lotIds] });
  return new Map(result.records.map((r) => [r.get("lotId"), r.get("related")]));
}

export function readTrace(
  tx: CypherRunner,
  lotId: string,
  direction: TraceDirection,
  maxDepth: number,
): Promise<TraceResult> {
  const query = direction === "DOWNSTREAM" ? Q.LEVEL_DOWNSTREAM : Q.LEVEL_UPSTREAM;
  return traceByLevels(lotId, direction, maxDepth, (frontier) => level(tx, query, frontier));
}

/** Unbounded in depth but not in size: each level is a single hop, and the driver's cap ends the walk. */
export function readDescendants(tx: CypherRunner, lotIds: readonly string[]): Promise<string[]> {
  return descendantsByLevels(lotIds, (frontier) => level(tx, Q.LEVEL_DOWNSTREAM, frontier));
}

export async function readLotsBySupplierLotCode(tx: CypherRunner, code: string): Promise<string[]> {
  const result = await tx.run<{ lotId: string }>(Q.LOTS_BY_SUPPLIER_LOT_CODE, { code });
  return result.records.map((r) => r.get("lotId"));
}

/** One BFS level: every edge out of (DOWNSTREAM) or into (UPSTREAM) the frontier. */
async function level(tx: CypherRunner, query: string, frontier: readonly string[]): Promise<GenealogyEdgeRecord[]> {
  const result = await tx.run<{ parent: string; child: string; quantity: string | null; runId: string | null }>(query, {
    frontier: [...frontier],
  });
  return result.records.map((r) => ({
    parentLotId: r.get("parent"),
    childLotId: r.get("child"),
    quantity: r.get("quantity"),
    runId: r.get("runId"),
  }));
}

/**
 * Writes a run's edges in the caller's transaction, in one statement however many there are,
 * refusing each that would close a cycle (DESIGN.md §4.3). A run's edges share one end (one
 * consumed lot to every output, or every consumed lot to one output), so no edge of the batch
 * can lie on another's cycle path: a simple path from the child back to the parent never passes
 * through that parent earlier. The checks can therefore all read the graph as it was before the
 * batch. A self-loop is refused here (Cypher's shortestPath refuses equal ends).
 */
async function link(tx: CypherRunner, edges: Edge[], runId: string, quantities: Map<string, string>) {
  const result: LinkResult = { linked: 0, refusedCycles: [] };
  const candidates = [];
  for (const edge of edges) {
    if (edge.parentLotId === edge.childLotId) result.refusedCycles.push(edge);
    else candidates.push({ ...edge, quantity: quantities.get(edge.parentLotId) ?? null });
  }
  if (candidates.length === 0) return result;
  const written = await tx.run<{ parentLotId: string; childLotId: string; closesCycle: boolean }>(Q.LINK_EDGES, {
    edges: candidates,
    runId,
  });
  for (const row of written.records) {
    if (row.get("closesCycle"))
      result.refusedCycles.push({ parentLotId: row.get("parentLotId"), childLotId: row.get("childLotId") });
    else result.linked++;
  }
  return result;
}
