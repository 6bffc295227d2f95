import type {
  GenealogyLotNode,
  GenealogyStore,
  LinkResult,
  TraceDirection,
  TraceResult,
} from "../genealogy/port/genealogy-store.ts";
import type { Neo4jEventTransaction } from "../genealogy/neo4j/neo4j-event-transaction.ts";
import { SqlGenealogyStore } from "../genealogy/sql/sql-genealogy-store.ts";
import type { TraceabilityTx } from "../database.ts";

/**
 * The graph store the projection hands `applyGenealogyEvent` in services mode with Neo4j
 * (docs/decisions/0009). The graph itself (lots, runs, consumptions, edges, the cycle check)
 * goes to the event's Neo4j transaction, and every read is answered there too.
 *
 * It also keeps, in the consumer's SQL transaction, the relational rows the facts hang off: the
 * `genealogy_lot` row (SqlFactsStore updates it with the receipt's uom, quantity, location and
 * supplier), `run_consumption` (consumed_at), `run_input` and `run_output_lot` (quantities for
 * mass balance and the exports). It writes no `genealogy_edge` and runs no SQL cycle check:
 * Neo4j alone decides edges, so the two stores cannot disagree about a cycle.
 *
 * Each write goes to Neo4j first, then SQL, for the same keys. Neo4j's node locks are then taken
 * before the SQL row locks of the same lot or run in every event, which keeps two consumers from
 * each holding one and waiting for the other across the two databases (neither could see that
 * deadlock; the Neo4j transaction timeout is only the backstop).
 */
export class Neo4jProjectionGraph implements GenealogyStore {
  readonly #sql: SqlGenealogyStore;

  /**
   * `graph` opens the event's Neo4j transaction on first use (and returns the same one after), so
   * an event with no graph write (a shipment, an installation) neither waits for nor needs Neo4j.
   */
  constructor(
    private readonly graph: () => Promise<Neo4jEventTransaction>,
    private readonly tx: TraceabilityTx,
  ) {
    this.#sql = new SqlGenealogyStore(tx);
  }

  async upsertLot(node: GenealogyLotNode): Promise<void> {
    await (await this.graph()).upsertLot(node);
    // The node row alone: the SQL store's upsertLot writes no edge.
    await this.#sql.upsertLot(node);
  }

  async recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    const links = await (await this.graph()).recordRunInput(runId, lotId, quantity, consumptionId);
    // The same run-ledger rules as SqlGenealogyStore.recordRunInput, without its edges: a
    // consumption is counted once by its event id, and one without an id always adds.
    if (consumptionId !== undefined) {
      const fresh = await this.tx.runConsumption.createMany({
        data: [{ consumptionId, runId, lotId, quantity }],
        skipDuplicates: true,
      });
      const counted =
        fresh.count === 0 && (await this.tx.runInput.findUnique({ where: { runId_lotId: { runId, lotId } } }));
      if (counted) return links;
    }
    await this.tx.runInput.upsert({
      where: { runId_lotId: { runId, lotId } },
      create: { runId, lotId, quantity },
      update: { quantity: { increment: quantity } },
    });
    return links;
  }

  async recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    const links = await (await this.graph()).recordRunOutput(runId, lotId);
    await this.tx.runOutputLot.upsert({
      where: { runId_lotId: { runId, lotId } },
      create: { runId, lotId },
      update: {},
    });
    return links;
  }

  async parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return (await this.graph()).parentsOf(lotIds);
  }

  async childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return (await this.graph()).childrenOf(lotIds);
  }

  async trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    return (await this.graph()).trace(lotId, direction, maxDepth);
  }

  async descendants(lotIds: readonly string[]): Promise<string[]> {
    return (await this.graph()).descendants(lotIds);
  }

  async lotsBySupplierLotCode(code: string): Promise<string[]> {
    return (await this.graph()).lotsBySupplierLotCode(code);
  }
}
