import { randomUUID } from "node:crypto";
import neo4j, { type Driver, type ManagedTransaction, type Session } from "neo4j-driver";
import {
  checkTraceDepth,
  type GenealogyLotNode,
  type GenealogyStore,
  type LinkResult,
  type TraceDirection,
  type TraceResult,
} from "../port/genealogy-store.ts";
import type { Neo4jConfig } from "./neo4j-config.ts";
import { Neo4jEventTransaction } from "./neo4j-event-transaction.ts";
import {
  readDescendants,
  readLotsBySupplierLotCode,
  readRelated,
  readTrace,
  writeLot,
  writeRunInput,
  writeRunOutput,
} from "./neo4j-operations.ts";
import * as Q from "./neo4j-queries.ts";
import { closeQuietly, type Neo4jWarn } from "./neo4j-session.ts";
import { tracedCypher } from "./traced-cypher.ts";

/**
 * How long one event's Neo4j transaction may stay open. It holds the edge lock while the
 * projection also writes SQL rows, so a stuck peer (or a lock wait across the two databases that
 * neither can see) must end in an error the bus redelivers, not in a consumer that hangs.
 */
const EVENT_TRANSACTION_TIMEOUT_MS = 30_000;

/** Lots (then runs) deleted per transaction when the graph is cleared for a rebuild. */
const CLEAR_BATCH = 10_000;

/**
 * The services-mode genealogy in Neo4j (model and query rules in neo4j-queries.ts). Each port
 * write is one managed write transaction, retried whole by the driver on transient errors, so
 * every write is written to be replayed: MERGE on ids, consumptions keyed by their event id.
 *
 * The projection does not use those one-call transactions: it takes {@link beginEvent}, so that
 * all the graph writes of one event commit together or not at all (docs/decisions/0009).
 */
export class Neo4jGenealogyStore implements GenealogyStore {
  /**
   * Shared by every session of this store, so each session starts from the bookmarks of the
   * transactions committed before it: a read after a write sees the write (causal consistency),
   * also on a cluster or Aura where the read may go to another member.
   */
  readonly #bookmarks = neo4j.bookmarkManager();

  private constructor(
    private readonly driver: Driver,
    private readonly database: string,
    private readonly warn: Neo4jWarn,
  ) {}

  /** Connects, checks connectivity and creates constraints and indexes. */
  static async connect(config: Neo4jConfig, options: { warn?: Neo4jWarn } = {}): Promise<Neo4jGenealogyStore> {
    const driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), {
      // Depths and counts are small; plain numbers spare every caller neo4j.Integer.
      disableLosslessIntegers: true,
    });
    try {
      return await Neo4jGenealogyStore.over(driver, config.database, options);
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  /**
   * The store over a driver the caller made (tests wrap one to replay a transaction function, as
   * the driver does after an unknown outcome); checks connectivity and creates the schema.
   */
  static async over(
    driver: Driver,
    database: string,
    options: { warn?: Neo4jWarn } = {},
  ): Promise<Neo4jGenealogyStore> {
    await driver.verifyConnectivity({ database });
    const store = new Neo4jGenealogyStore(driver, database, options.warn ?? (() => undefined));
    await store.ensureSchema();
    return store;
  }

  /** Constraints and indexes; idempotent. Schema changes may not share a transaction with data. */
  async ensureSchema(): Promise<void> {
    for (const statement of Q.SCHEMA) await this.#write((tx) => tx.run(statement));
  }

  /** The `/readyz` probe: throws when no Neo4j server answers. */
  async ready(): Promise<true> {
    await this.driver.verifyConnectivity({ database: this.database });
    return true;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /**
   * Opens the Neo4j transaction of one projection event. Not a managed transaction: the driver
   * would retry the work, and the work also writes SQL; a transient failure is instead thrown to
   * the projection, whose SQL transaction rolls back, and the bus redelivers the event.
   */
  async beginEvent(): Promise<Neo4jEventTransaction> {
    const session = this.#session("WRITE");
    try {
      // Not awaited: the driver sends BEGIN and the lock's RUN together, one round trip.
      const tx = tracedCypher(session.beginTransaction({ timeout: EVENT_TRANSACTION_TIMEOUT_MS }));
      // The edge lock before anything else: an event may write a lot (locking its node) and then
      // an edge; taking the lock after the node would let two consumers each hold one of the two
      // and wait for the other. Events therefore apply one at a time in the graph.
      await tx.run(Q.LOCK_EDGES);
      return new Neo4jEventTransaction(session, tx, this.warn);
    } catch (error) {
      await closeQuietly(session, this.warn);
      throw error;
    }
  }

  async upsertLot(node: GenealogyLotNode): Promise<void> {
    await this.#write((tx) => writeLot(tx, node));
  }

  async recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    // Without an event id every call is a new consumption, as in the SQL store. The id is drawn
    // here, not in the transaction function: the driver may run that function again after an
    // unknown outcome, and a second id would count the consumption twice.
    const id = consumptionId ?? randomUUID();
    return this.#write(async (tx) => {
      await tx.run(Q.LOCK_EDGES);
      return writeRunInput(tx, runId, lotId, quantity, id);
    });
  }

  async recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    return this.#write(async (tx) => {
      await tx.run(Q.LOCK_EDGES);
      return writeRunOutput(tx, runId, lotId);
    });
  }

  async parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#read((tx) => readRelated(tx, Q.PARENTS_OF, lotIds));
  }

  async childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#read((tx) => readRelated(tx, Q.CHILDREN_OF, lotIds));
  }

  async trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    checkTraceDepth(maxDepth);
    return this.#read((tx) => readTrace(tx, lotId, direction, maxDepth));
  }

  async descendants(lotIds: readonly string[]): Promise<string[]> {
    return this.#read((tx) => readDescendants(tx, lotIds));
  }

  async lotsBySupplierLotCode(code: string): Promise<string[]> {
    return this.#read((tx) => readLotsBySupplierLotCode(tx, code));
  }

  /**
   * Empties the graph for `rebuild-genealogy`, a batch per transaction; returns the nodes deleted.
   * Not atomic: readers see the graph shrink, and a failed rebuild must be run again.
   */
  async clear(onBatch?: (deleted: number) => void): Promise<number> {
    let total = 0;
    for (const query of [Q.CLEAR_LOTS_BATCH, Q.CLEAR_RUNS_BATCH]) {
      for (;;) {
        const deleted = await this.#write(async (tx) => {
          const result = await tx.run<{ deleted: number }>(query, { batch: neo4j.int(CLEAR_BATCH) });
          return result.records[0]?.get("deleted") ?? 0;
        });
        total += deleted;
        if (deleted > 0) onBatch?.(total);
        if (deleted < CLEAR_BATCH) break;
      }
    }
    return total;
  }

  /** Lots and parent → child edges in the graph (for the rebuild's report). */
  async counts(): Promise<{ lots: number; edges: number }> {
    return this.#read(async (tx) => {
      const row = (await tx.run<{ lots: number; edges: number }>(Q.COUNT_GRAPH)).records[0];
      return { lots: row?.get("lots") ?? 0, edges: row?.get("edges") ?? 0 };
    });
  }

  /** Tests only: removes the lots and runs a test wrote. */
  async deleteForTests(lotIds: readonly string[], runIds: readonly string[]): Promise<void> {
    await this.#write((tx) => tx.run(Q.DELETE_FOR_TESTS, { lotIds: [...lotIds], runIds: [...runIds] }));
  }

  #session(mode: "READ" | "WRITE"): Session {
    return this.driver.session({
      database: this.database,
      bookmarkManager: this.#bookmarks,
      defaultAccessMode: mode === "READ" ? neo4j.session.READ : neo4j.session.WRITE,
    });
  }

  async #read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.#session("READ");
    try {
      return await session.executeRead((tx) => work(tracedCypher(tx)));
    } finally {
      await closeQuietly(session, this.warn);
    }
  }

  async #write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.#session("WRITE");
    try {
      return await session.executeWrite((tx) => work(tracedCypher(tx)));
    } finally {
      await closeQuietly(session, this.warn);
    }
  }
}
