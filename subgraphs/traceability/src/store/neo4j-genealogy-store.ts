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
} from "./genealogy-store.ts";
import * as Q from "./neo4j-queries.ts";

/** Where the services-mode genealogy lives (DESIGN.md §2). */
export interface Neo4jConfig {
  uri: string;
  user: string;
  password: string;
}

const neo4jEnv = z.object({
  NEO4J_URI: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/\S+$/, "a neo4j:// or bolt:// URI"),
  NEO4J_USER: z.string().min(1),
  NEO4J_PASSWORD: z.string().min(1),
});

/**
 * The Neo4j settings from the environment, or null when `NEO4J_URI` is unset (embedded mode).
 * Once the URI is set, user and password are required: no default credentials.
 */
export function loadNeo4jConfig(source: Record<string, string | undefined>): Neo4jConfig | null {
  if (!source.NEO4J_URI) return null;
  const env = neo4jEnv.parse(source);
  return { uri: env.NEO4J_URI, user: env.NEO4J_USER, password: env.NEO4J_PASSWORD };
}

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
  private constructor(private readonly driver: Driver) {}

  /** Connects, checks connectivity and creates constraints and indexes. */
  static async connect(config: Neo4jConfig): Promise<Neo4jGenealogyStore> {
    const driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), {
      // Depths and counts are small; plain numbers spare every caller neo4j.Integer.
      disableLosslessIntegers: true,
    });
    try {
      await driver.verifyConnectivity();
      const store = new Neo4jGenealogyStore(driver);
      await store.ensureSchema();
      return store;
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  /** Constraints and indexes; idempotent. Schema changes may not share a transaction with data. */
  async ensureSchema(): Promise<void> {
    for (const statement of Q.SCHEMA) await this.#write((tx) => tx.run(statement));
  }

  /** The `/readyz` probe: throws when no Neo4j server answers. */
  async ready(): Promise<true> {
    await this.driver.verifyConnectivity();
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
    const session = this.driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      const tx = await session.beginTransaction({ timeout: EVENT_TRANSACTION_TIMEOUT_MS });
      return new Neo4jEventTransaction(session, tx);
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  upsertLot(node: GenealogyLotNode): Promise<void> {
    return this.#write((tx) => writeLot(tx, node));
  }

  recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    return this.#write((tx) => writeRunInput(tx, runId, lotId, quantity, consumptionId));
  }

  recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    return this.#write((tx) => writeRunOutput(tx, runId, lotId));
  }

  parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#read((tx) => readRelated(tx, Q.PARENTS_OF, lotIds));
  }

  childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#read((tx) => readRelated(tx, Q.CHILDREN_OF, lotIds));
  }

  trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    checkTraceDepth(maxDepth);
    return this.#read((tx) => readTrace(tx, lotId, direction, maxDepth));
  }

  descendants(lotIds: readonly string[]): Promise<string[]> {
    return this.#read((tx) => readDescendants(tx, lotIds));
  }

  lotsBySupplierLotCode(code: string): Promise<string[]> {
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

  async #read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work);
    } finally {
      await session.close();
    }
  }

  async #write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work);
    } finally {
      await session.close();
    }
  }
}

/**
 * All the graph writes (and reads) of ONE projection event, in one explicit Neo4j transaction:
 * nothing is visible to others until {@link commit}, and {@link close} without a commit rolls
 * everything back, so an event refused for a cycle leaves nothing of itself in Neo4j (DESIGN.md
 * §4.3). Reads see the event's own uncommitted writes, as the SQL store's do inside its transaction.
 */
export class Neo4jEventTransaction implements GenealogyStore {
  constructor(
    private readonly session: Session,
    private readonly tx: Transaction,
  ) {}

  upsertLot(node: GenealogyLotNode): Promise<void> {
    return writeLot(this.tx, node);
  }

  recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    return writeRunInput(this.tx, runId, lotId, quantity, consumptionId);
  }

  recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    return writeRunOutput(this.tx, runId, lotId);
  }

  parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return readRelated(this.tx, Q.PARENTS_OF, lotIds);
  }

  childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return readRelated(this.tx, Q.CHILDREN_OF, lotIds);
  }

  trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    checkTraceDepth(maxDepth);
    return readTrace(this.tx, lotId, direction, maxDepth);
  }

  descendants(lotIds: readonly string[]): Promise<string[]> {
    return readDescendants(this.tx, lotIds);
  }

  lotsBySupplierLotCode(code: string): Promise<string[]> {
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
      await this.session.close();
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

async function writeRunInput(
  tx: CypherRunner,
  runId: string,
  lotId: string,
  quantity: string,
  consumptionId?: string,
): Promise<LinkResult> {
  // Without an event id every call is a new consumption, as in the SQL store.
  const id = consumptionId ?? randomUUID();
  await tx.run(Q.LOCK_EDGES);
  const result = await tx.run<{ quantities: string[]; outputs: string[] }>(Q.RECORD_CONSUMPTION, {
    runId,
    lotId,
    consumptionId: id,
    quantity,
  });
  const row = result.records[0];
  const total = addDecimals(row?.get("quantities") ?? [quantity]);
  const edges = (row?.get("outputs") ?? []).map((child) => ({ parentLotId: lotId, childLotId: child }));
  return link(tx, edges, runId, new Map([[lotId, total]]));
}

async function writeRunOutput(tx: CypherRunner, runId: string, lotId: string): Promise<LinkResult> {
  await tx.run(Q.LOCK_EDGES);
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
 * Writes edges in the caller's transaction, refusing each that would close a cycle (DESIGN.md
 * §4.3): the check runs before the MERGE and sees the edges written just before it.
 */
async function link(tx: CypherRunner, edges: Edge[], runId: string, quantities: Map<string, string>) {
  const result: LinkResult = { linked: 0, refusedCycles: [] };
  for (const edge of edges) {
    if (edge.parentLotId === edge.childLotId || (await pathExists(tx, edge))) {
      result.refusedCycles.push(edge);
      continue;
    }
    await tx.run(Q.MERGE_EDGE, { ...edge, runId, quantity: quantities.get(edge.parentLotId) ?? null });
    result.linked++;
  }
  return result;
}

async function pathExists(tx: CypherRunner, edge: Edge): Promise<boolean> {
  const result = await tx.run<{ found: boolean }>(Q.PATH_EXISTS, edge);
  return result.records[0]?.get("found") === true;
}
