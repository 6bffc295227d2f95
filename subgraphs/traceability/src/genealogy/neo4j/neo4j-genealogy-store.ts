import { randomUUID } from "node:crypto";
import neo4j, { type Driver, type ManagedTransaction, type Session, type Transaction } from "neo4j-driver";
import { z } from "zod";
import { addDecimals } from "./decimal.ts";
import {
  GenealogyTooLargeError,
  MAX_DESCENDANTS,
  checkTraceDepth,
  type GenealogyEdgeRecord,
  type GenealogyLotNode,
  type GenealogyStore,
  type LinkResult,
  type TraceDirection,
  type TraceResult,
} from "../port/genealogy-store.ts";
import * as Q from "./neo4j-queries.ts";

/** Where the services-mode genealogy lives (DESIGN.md §2). */
export interface Neo4jConfig {
  uri: string;
  user: string;
  password: string;
  /**
   * The database every session names. Naming it spares the driver a home-database lookup per
   * session and keeps a cluster or Aura from routing a session to another database.
   */
  database: string;
}

const neo4jEnv = z.object({
  NEO4J_URI: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/\S+$/, "a neo4j:// or bolt:// URI"),
  NEO4J_USER: z.string().min(1),
  NEO4J_PASSWORD: z.string().min(1),
  NEO4J_DATABASE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9.-]{2,62}$/, "a Neo4j database name")
    .default("neo4j"),
});

/**
 * The Neo4j settings from the environment, or null when `NEO4J_URI` is unset (embedded mode).
 * Once the URI is set, user and password are required: no default credentials.
 */
export function loadNeo4jConfig(source: Record<string, string | undefined>): Neo4jConfig | null {
  if (!source.NEO4J_URI) return null;
  const env = neo4jEnv.parse(source);
  return { uri: env.NEO4J_URI, user: env.NEO4J_USER, password: env.NEO4J_PASSWORD, database: env.NEO4J_DATABASE };
}

/** Where the store reports what it cannot throw: a session that failed to close. */
export type Neo4jWarn = (context: Record<string, unknown>, message: string) => void;

type Edge = { parentLotId: string; childLotId: string };

/**
 * What every operation below runs its Cypher on: a managed transaction (one port call, retried by
 * the driver) or the explicit transaction of one projection event ({@link Neo4jEventTransaction}).
 */
type CypherRunner = Pick<ManagedTransaction, "run">;

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
      const tx = session.beginTransaction({ timeout: EVENT_TRANSACTION_TIMEOUT_MS });
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
      return await session.executeRead(work);
    } finally {
      await closeQuietly(session, this.warn);
    }
  }

  async #write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.#session("WRITE");
    try {
      return await session.executeWrite(work);
    } finally {
      await closeQuietly(session, this.warn);
    }
  }
}

/**
 * Ends a session without letting its error replace the work's outcome: a failed close after a
 * failed query would hide why the query failed, and after a committed write would report a
 * failure for work that is done. The driver drops a connection it could not release.
 */
async function closeQuietly(session: Session, warn: Neo4jWarn): Promise<void> {
  try {
    await session.close();
  } catch (error) {
    warn({ err: error }, "a Neo4j session failed to close");
  }
}

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

async function writeLot(tx: CypherRunner, node: GenealogyLotNode): Promise<void> {
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
async function writeRunInput(
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
  const total = addDecimals(row?.get("quantities") ?? [quantity]);
  const edges = (row?.get("outputs") ?? []).map((child) => ({ parentLotId: lotId, childLotId: child }));
  return link(tx, edges, runId, new Map([[lotId, total]]));
}

async function writeRunOutput(tx: CypherRunner, runId: string, lotId: string): Promise<LinkResult> {
  const result = await tx.run<{ lotId: string; quantities: string[] }>(Q.RECORD_OUTPUT, { runId, lotId });
  const totals = new Map(result.records.map((r) => [r.get("lotId"), addDecimals(r.get("quantities"))]));
  const edges = [...totals.keys()].map((parent) => ({ parentLotId: parent, childLotId: lotId }));
  return link(tx, edges, runId, totals);
}

async function readRelated(tx: CypherRunner, query: string, lotIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = await tx.run<{ lotId: string; related: string[] }>(query, { lotIds: [...lotIds] });
  return new Map(result.records.map((r) => [r.get("lotId"), r.get("related")]));
}

async function readTrace(
  tx: CypherRunner,
  lotId: string,
  direction: TraceDirection,
  maxDepth: number,
): Promise<TraceResult> {
  const query = direction === "DOWNSTREAM" ? Q.LEVEL_DOWNSTREAM : Q.LEVEL_UPSTREAM;
  const depths = new Map<string, number>([[lotId, 0]]);
  const edges: GenealogyEdgeRecord[] = [];
  let truncated = false;
  let frontier = [lotId];
  // Levels 0 … maxDepth: the last expansion is the `truncated` probe, and also finds edges
  // between two lots of the last levels that no earlier level saw.
  for (let depth = 0; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const edge of await level(tx, query, frontier)) {
      const neighbour = direction === "DOWNSTREAM" ? edge.childLotId : edge.parentLotId;
      if (!depths.has(neighbour)) {
        if (depth === maxDepth) {
          truncated = true;
          continue;
        }
        depths.set(neighbour, depth + 1);
        next.push(neighbour);
      }
      edges.push(edge);
    }
    frontier = next;
  }
  return { nodes: [...depths].map(([id, depth]) => ({ lotId: id, depth })), edges, truncated };
}

async function readDescendants(tx: CypherRunner, lotIds: readonly string[]): Promise<string[]> {
  const seen = new Set(lotIds);
  const found: string[] = [];
  let frontier = [...lotIds];
  // Unbounded in depth but not in size: each level is a single hop, and the cap ends the walk.
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const edge of await level(tx, Q.LEVEL_DOWNSTREAM, frontier)) {
      if (seen.has(edge.childLotId)) continue;
      seen.add(edge.childLotId);
      found.push(edge.childLotId);
      next.push(edge.childLotId);
    }
    if (found.length > MAX_DESCENDANTS) throw new GenealogyTooLargeError(MAX_DESCENDANTS);
    frontier = next;
  }
  return found;
}

async function readLotsBySupplierLotCode(tx: CypherRunner, code: string): Promise<string[]> {
  const result = await tx.run<{ lotId: string }>(Q.LOTS_BY_SUPPLIER_LOT_CODE, { code });
  return result.records.map((r) => r.get("lotId"));
}

/** One BFS level: every edge out of (DOWNSTREAM) or into (UPSTREAM) the frontier. */
async function level(tx: CypherRunner, query: string, frontier: string[]): Promise<GenealogyEdgeRecord[]> {
  const result = await tx.run<{ parent: string; child: string; quantity: string | null; runId: string | null }>(query, {
    frontier,
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
