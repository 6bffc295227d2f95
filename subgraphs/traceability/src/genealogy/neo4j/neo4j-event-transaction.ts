import type { Transaction, Session } from "neo4j-driver";
import { randomUUID } from "node:crypto";
import {
  checkTraceDepth,
  type GenealogyLotNode,
  type GenealogyStore,
  type LinkResult,
  type TraceDirection,
  type TraceResult,
} from "../port/genealogy-store.ts";
import * as Q from "./neo4j-queries.ts";
import {
  readDescendants,
  readLotsBySupplierLotCode,
  readRelated,
  readTrace,
  writeLot,
  writeRunInput,
  writeRunOutput,
} from "./neo4j-operations.ts";
import { closeQuietly, type Neo4jWarn } from "./neo4j-session.ts";

/**
 * All the graph writes (and reads) of ONE projection event, in one explicit Neo4j transaction:
 * nothing is visible to others until {@link commit}, and {@link close} without a commit rolls
 * everything back, so an event refused for a cycle leaves nothing of itself in Neo4j (DESIGN.md
 * §4.3). Reads see the event's own uncommitted writes, as the SQL store's do inside its transaction.
 */
export class Neo4jEventTransaction implements GenealogyStore {
  /** Opened by {@link Neo4jGenealogyStore.beginEvent}, which has already taken the edge lock. */
  constructor(
    private readonly session: Session,
    private readonly tx: Transaction,
    private readonly warn: Neo4jWarn,
  ) {}

  async upsertLot(node: GenealogyLotNode): Promise<void> {
    await writeLot(this.tx, node);
  }

  async recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    return writeRunInput(this.tx, runId, lotId, quantity, consumptionId ?? randomUUID());
  }

  async recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    return writeRunOutput(this.tx, runId, lotId);
  }

  async parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return readRelated(this.tx, Q.PARENTS_OF, lotIds);
  }

  async childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return readRelated(this.tx, Q.CHILDREN_OF, lotIds);
  }

  async trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    checkTraceDepth(maxDepth);
    return readTrace(this.tx, lotId, direction, maxDepth);
  }

  async descendants(lotIds: readonly string[]): Promise<string[]> {
    return readDescendants(this.tx, lotIds);
  }

  async lotsBySupplierLotCode(code: string): Promise<string[]> {
    return readLotsBySupplierLotCode(this.tx, code);
  }

  /** Commits the event's graph writes; throws when Neo4j did not confirm (the outcome may be unknown). */
  async commit(): Promise<void> {
    await this.tx.commit();
  }

  /**
   * Rolls back whatever was not committed and ends the session; always call it (in `finally`).
   * A failed rollback is not reported: an uncommitted transaction can never become committed,
   * and the server ends it when the connection drops or its timeout passes.
   */
  async close(): Promise<void> {
    try {
      if (this.tx.isOpen()) await this.tx.rollback();
    } catch {
      // See above: nothing of the event can be committed any more.
    } finally {
      // Called from `finally` blocks: throwing here would replace the error that brought us here.
      await closeQuietly(this.session, this.warn);
    }
  }
}
