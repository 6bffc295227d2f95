import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import {
  GenealogyTooLargeError,
  MAX_DESCENDANTS,
  checkTraceDepth,
  type GenealogyLotNode,
  type GenealogyStore,
  type LinkResult,
  type TraceDirection,
  type TraceResult,
} from "./genealogy-store.ts";
import { DESCENDANTS_SQL, traceByCte, traceByFrontier, type TraceStrategy } from "./sql-trace.ts";

export type TraceabilityClient = PrismaClient;
export type TraceabilityTx = Prisma.TransactionClient;

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
      outputs.map((o) => ({ parentLotId: lotId, childLotId: o.lotId })),
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
      inputs.map((i) => ({ parentLotId: i.lotId, childLotId: lotId })),
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

  /** Writes edges (updating the quantity of existing ones), refusing any that would close a cycle. */
  async #link(
    edges: Array<{ parentLotId: string; childLotId: string }>,
    runId: string,
    quantities: Map<string, string>,
  ): Promise<LinkResult> {
    const result: LinkResult = { linked: 0, refusedCycles: [] };
    if (edges.length > 0) await this.db.$executeRawUnsafe(EDGE_LOCK_SQL);
    for (const edge of edges) {
      if (await this.#wouldCloseCycle(edge.parentLotId, edge.childLotId)) {
        result.refusedCycles.push(edge);
        continue;
      }
      const quantity = quantities.get(edge.parentLotId) ?? null;
      await this.db.genealogyEdge.upsert({
        where: { parentLotId_childLotId: edge },
        create: { ...edge, runId, quantity },
        update: { quantity },
      });
      result.linked++;
    }
    return result;
  }

  /** True when `child` is `parent` or already an ancestor of it (DESIGN.md §4.3). */
  async #wouldCloseCycle(parent: string, child: string): Promise<boolean> {
    if (parent === child) return true;
    const rows = await this.db.$queryRawUnsafe<Array<{ found: boolean }>>(
      `WITH RECURSIVE ancestors(lot_id, depth) AS (
         SELECT parent_lot_id, 1 FROM genealogy_edge WHERE child_lot_id = $1::uuid
         UNION
         SELECT e.parent_lot_id, a.depth + 1 FROM genealogy_edge e JOIN ancestors a ON e.child_lot_id = a.lot_id
          WHERE a.depth < $3
       )
       SELECT EXISTS (SELECT 1 FROM ancestors WHERE lot_id = $2::uuid) AS found`,
      parent,
      child,
      MAX_CYCLE_CHECK_DEPTH,
    );
    return rows[0]?.found === true;
  }
}

function group(pairs: Array<[string, string]>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [key, value] of pairs) result.set(key, [...(result.get(key) ?? []), value]);
  return result;
}
