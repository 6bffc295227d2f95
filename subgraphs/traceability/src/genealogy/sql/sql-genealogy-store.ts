import type { TraceabilityClient, TraceabilityTx } from "../../database.ts";
import {
  GenealogyTooLargeError,
  MAX_DESCENDANTS,
  checkTraceDepth,
  type GenealogyLotNode,
  type GenealogyStore,
  type LinkResult,
  type TraceDirection,
  type TraceResult,
} from "../port/genealogy-store.ts";
import { DESCENDANTS_SQL, reachedAmongSql, traceByCte, traceByFrontier, type TraceStrategy } from "./sql-trace.ts";

/** Bounds the cycle check's walk; the genealogy of a real plant is far shallower. */
const MAX_CYCLE_CHECK_DEPTH = 1000;

/**
 * Serialises edge writes across consumers (DESIGN.md §7: consumers are shared between replicas):
 * two transactions could otherwise each add one half of a cycle, each seeing no cycle.
 */
const EDGE_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('lotgraph:genealogy-edges'))";

/** The embedded genealogy: an indexed edge table in traceability's own database. */
export class SqlGenealogyStore implements GenealogyStore {
  /**
   * `db` is the client or, inside a projection, the consumer's transaction. `traceStrategy`
   * exists for the bench, which measures both; `cte` won there (see sql-trace.ts).
   */
  constructor(
    private readonly db: TraceabilityClient | TraceabilityTx,
    private readonly options: { traceStrategy?: TraceStrategy } = {},
  ) {}

  async upsertLot(node: GenealogyLotNode): Promise<void> {
    const { supplierLotCode, ...lot } = node;
    await this.db.genealogyLot.upsert({
      where: { lotId: node.lotId },
      create: { ...lot, supplierLotCode: supplierLotCode ?? null },
      update: {
        ...(node.code ? { code: node.code } : {}),
        ...(supplierLotCode !== undefined ? { supplierLotCode } : {}),
      },
    });
  }

  async recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    if (consumptionId !== undefined) {
      const fresh = await this.db.runConsumption.createMany({
        data: [{ consumptionId, runId, lotId, quantity }],
        skipDuplicates: true,
      });
      // A replayed consumption: its quantity is already counted, only the links are re-checked.
      if (fresh.count === 0) {
        const counted = await this.db.runInput.findUnique({ where: { runId_lotId: { runId, lotId } } });
        if (counted) return this.#linkInput(runId, lotId, counted.quantity.toString());
      }
    }
    const input = await this.db.runInput.upsert({
      where: { runId_lotId: { runId, lotId } },
      create: { runId, lotId, quantity },
      update: { quantity: { increment: quantity } },
    });
    return this.#linkInput(runId, lotId, input.quantity.toString());
  }

  /** Makes an input lot, whose run total is `total`, a parent of every output of the run. */
  async #linkInput(runId: string, lotId: string, total: string): Promise<LinkResult> {
    const outputs = await this.db.runOutputLot.findMany({ where: { runId }, select: { lotId: true } });
    return this.#link(
      { parentLotId: lotId },
      outputs.map((o) => o.lotId),
      runId,
      new Map([[lotId, total]]),
    );
  }

  async recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    await this.db.runOutputLot.upsert({
      where: { runId_lotId: { runId, lotId } },
      create: { runId, lotId },
      update: {},
    });
    const inputs = await this.db.runInput.findMany({ where: { runId } });
    return this.#link(
      { childLotId: lotId },
      inputs.map((i) => i.lotId),
      runId,
      new Map(inputs.map((i) => [i.lotId, i.quantity.toString()])),
    );
  }

  async parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    const edges = await this.db.genealogyEdge.findMany({
      where: { childLotId: { in: [...lotIds] } },
      select: { parentLotId: true, childLotId: true },
      orderBy: { createdAt: "asc" },
    });
    return group(edges.map((e) => [e.childLotId, e.parentLotId]));
  }

  async childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    const edges = await this.db.genealogyEdge.findMany({
      where: { parentLotId: { in: [...lotIds] } },
      select: { parentLotId: true, childLotId: true },
      orderBy: { createdAt: "asc" },
    });
    return group(edges.map((e) => [e.parentLotId, e.childLotId]));
  }

  async trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    checkTraceDepth(maxDepth);
    const walk = this.options.traceStrategy === "frontier" ? traceByFrontier : traceByCte;
    return walk(this.db, lotId, direction, maxDepth);
  }

  async descendants(lotIds: readonly string[]): Promise<string[]> {
    if (lotIds.length === 0) return [];
    const rows = await this.db.$queryRawUnsafe<Array<{ lot_id: string }>>(
      DESCENDANTS_SQL,
      [...lotIds],
      MAX_DESCENDANTS + 1,
    );
    if (rows.length > MAX_DESCENDANTS) throw new GenealogyTooLargeError(MAX_DESCENDANTS);
    return rows.map((r) => r.lot_id);
  }

  async lotsBySupplierLotCode(code: string): Promise<string[]> {
    const lots = await this.db.genealogyLot.findMany({
      where: { supplierLotCode: code },
      select: { lotId: true },
      orderBy: { lotId: "asc" },
    });
    return lots.map((l) => l.lotId);
  }

  /**
   * Links one lot to several (an input to every output of its run, or every input to a new
   * output), updating the quantity of edges that exist, and refuses each edge that would close a
   * cycle (DESIGN.md §4.3), with one walk and one write however many edges there are.
   *
   * One walk is enough because the edges share an end. An edge closes a cycle when its child
   * already leads to its parent. A path that leaves the shared lot has to come back to it before it
   * could take another edge of the batch (they all start there, or all end there), so whether such
   * a path exists does not depend on the batch's other edges: the graph as it stood answers it.
   * With a shared parent, the children among its ancestors are refused; with a shared child, the
   * parents among its descendants.
   */
  async #link(
    shared: { parentLotId: string } | { childLotId: string },
    others: readonly string[],
    runId: string,
    quantities: Map<string, string>,
  ): Promise<LinkResult> {
    if (others.length === 0) return { linked: 0, refusedCycles: [] };
    const edgeWith = (other: string) =>
      "parentLotId" in shared
        ? { parentLotId: shared.parentLotId, childLotId: other }
        : { parentLotId: other, childLotId: shared.childLotId };
    await this.db.$executeRawUnsafe(EDGE_LOCK_SQL);
    const closers = await this.#cycleClosers(shared, others);
    const refusedCycles = others.filter((other) => closers.has(other)).map(edgeWith);
    const linked = others.filter((other) => !closers.has(other)).map(edgeWith);
    if (linked.length > 0) {
      await this.db.$executeRawUnsafe(
        UPSERT_EDGES_SQL,
        linked.map((e) => e.parentLotId),
        linked.map((e) => e.childLotId),
        runId,
        linked.map((e) => quantities.get(e.parentLotId) ?? null),
      );
    }
    return { linked: linked.length, refusedCycles };
  }

  /**
   * The lots whose edge with the shared lot would close a cycle: the shared lot itself (a
   * self-loop), and among `others` its ancestors (shared parent) or its descendants (shared child).
   */
  async #cycleClosers(
    shared: { parentLotId: string } | { childLotId: string },
    others: readonly string[],
  ): Promise<Set<string>> {
    const [start, walk] =
      "parentLotId" in shared ? [shared.parentLotId, ANCESTORS_AMONG_SQL] : [shared.childLotId, DESCENDANTS_AMONG_SQL];
    const rows = await this.db.$queryRawUnsafe<Array<{ lot_id: string }>>(
      walk,
      start,
      [...others],
      MAX_CYCLE_CHECK_DEPTH,
    );
    return new Set([start, ...rows.map((row) => row.lot_id)]);
  }
}

const ANCESTORS_AMONG_SQL = reachedAmongSql("UPSTREAM");
const DESCENDANTS_AMONG_SQL = reachedAmongSql("DOWNSTREAM");

/** Writes edges `$1[i] → $2[i]` of run `$3` consuming `$4[i]` of the parent; an existing edge takes the new quantity. */
const UPSERT_EDGES_SQL = `INSERT INTO genealogy_edge (parent_lot_id, child_lot_id, run_id, quantity)
  SELECT parent, child, $3::uuid, quantity::numeric
    FROM unnest($1::uuid[], $2::uuid[], $4::text[]) AS edge(parent, child, quantity)
  ON CONFLICT (parent_lot_id, child_lot_id) DO UPDATE SET quantity = EXCLUDED.quantity`;

function group(pairs: Array<[string, string]>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [key, value] of pairs) result.set(key, [...(result.get(key) ?? []), value]);
  return result;
}
