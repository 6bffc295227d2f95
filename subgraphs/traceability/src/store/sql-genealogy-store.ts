import type { SqlExecutor } from "@lotgraph/kit";
import type { LotNode } from "../domain/records.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { GenealogyStore } from "./genealogy-store.ts";

export type TraceabilityClient = PrismaClient;
export type TraceabilityTx = Prisma.TransactionClient;

/** The embedded genealogy: an indexed edge table in traceability's own database. */
export class SqlGenealogyStore implements GenealogyStore {
  /** `db` is the client or, inside a projection, the consumer's transaction. */
  constructor(private readonly db: TraceabilityClient | TraceabilityTx) {}

  /** The same store bound to a transaction (projections write inside the consumer's one). */
  static within(tx: TraceabilityTx & SqlExecutor): SqlGenealogyStore {
    return new SqlGenealogyStore(tx);
  }

  async upsertLot(node: LotNode): Promise<void> {
    await this.db.genealogyLot.upsert({ where: { lotId: node.lotId }, create: node, update: {} });
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
}

function group(pairs: Array<[string, string]>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [key, value] of pairs) result.set(key, [...(result.get(key) ?? []), value]);
  return result;
}
