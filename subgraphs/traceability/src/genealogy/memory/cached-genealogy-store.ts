import { AsyncLocalStorage } from "node:async_hooks";
import { AdjacencyIndex, type IndexedEdge } from "./adjacency-index.ts";
import {
  MAX_DESCENDANTS,
  checkTraceDepth,
  type GenealogyLotNode,
  type GenealogyStore,
  type LinkResult,
  type TraceDirection,
  type TraceResult,
} from "../port/genealogy-store.ts";

/** The one method of the kit's `SqlDriver` the cache needs (`db.driver`, outside any transaction). */
export interface EdgeReader {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface LoadProgress {
  edges: number;
  /** estimate from the table statistics (0 when unknown) */
  expectedEdges: number;
}

export interface CachedGenealogyStoreOptions {
  /** Rows per keyset page of the initial load (default 50,000). */
  pageSize?: number;
  onProgress?: (progress: LoadProgress) => void;
}

/**
 * Edges as one text per page or refresh, a line per edge: on PGlite, decoding rows dominates a
 * large read (see sql-trace.ts); one text value is decoded once and split in JS. Fields: parent,
 * child, quantity (empty: null), run (empty: null), created_at in ms since the epoch.
 */
const EDGE_LINE = `parent_lot_id::text || ',' || child_lot_id::text || ',' || coalesce(quantity::text, '') || ','
  || coalesce(run_id::text, '') || ',' || (extract(epoch from created_at) * 1000)::bigint::text`;

/** One keyset page in primary-key order: the first (`$1` the size), or those after `$2`, `$3`. */
const pageSql = (first: boolean) => `SELECT string_agg(line, E'\\n' ORDER BY parent_lot_id, child_lot_id) AS lines
  FROM (SELECT parent_lot_id, child_lot_id, ${EDGE_LINE} AS line FROM genealogy_edge
         ${first ? "" : "WHERE (parent_lot_id, child_lot_id) > ($2::uuid, $3::uuid)"}
         ORDER BY parent_lot_id, child_lot_id LIMIT $1) page`;

/** Every edge with an end among `$1` (both edge indexes serve it). */
const INCIDENT_SQL = `SELECT string_agg(${EDGE_LINE}, E'\\n') AS lines FROM genealogy_edge
  WHERE parent_lot_id = ANY($1::uuid[]) OR child_lot_id = ANY($1::uuid[])`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one `committing` scope has written: the lots whose edges may have changed. */
interface Scope {
  touched: Set<string>;
}

/**
 * Read-side accelerator for the embedded genealogy (DESIGN.md §2): decorates a GenealogyStore
 * (the SQL one) and answers `trace`, `descendants`, `parentsOf` and `childrenOf` from an
 * in-memory {@link AdjacencyIndex}, so a 10-level trace costs a BFS over typed arrays instead of
 * a recursive query and a database round trip. Everything else goes to the inner store.
 *
 * Consistency: the index only ever holds what SQL has COMMITTED. It is filled by `load()` (keyset
 * pages over genealogy_edge through the raw driver) and kept current by `refresh(lotIds)`, which
 * re-reads every committed edge touching those lots and replaces them in the index. A refresh
 * reads the truth, so refreshing too much is harmless; refreshes (and the load) run one at a
 * time, in call order, so a later refresh always lands after an earlier one. Until the load has
 * finished, reads go to the inner store.
 *
 * Who calls `refresh`:
 * - the write methods of this class, after the inner store's write returned (or failed: a partly
 *   applied write is still read back as committed). Use them only over an inner store whose
 *   writes commit on return (the SQL store on `db.client`);
 * - the projection, whose writes run inside its consumer's SQL transaction and may still roll
 *   back, wraps each transaction in {@link committing} and its transaction-bound store in
 *   {@link track}:
 *   ```ts
 *   transaction: (fn) => cache.committing(() => db.transaction(fn)),
 *   apply: async (tx, message) => { const store = cache.track(new SqlGenealogyStore(tx)); … },
 *   ```
 *   `committing` refreshes the lots touched inside it once the transaction has committed, and
 *   nothing when it rejects (rolled back): a rolled-back write never reaches the index.
 */
export class CachedGenealogyStore implements GenealogyStore {
  readonly #inner: GenealogyStore;
  readonly #reader: EdgeReader;
  readonly #options: CachedGenealogyStoreOptions;
  readonly #scopes = new AsyncLocalStorage<Scope>();
  #index: AdjacencyIndex | null = null;
  /** the tail of the load and refreshes, which run one at a time */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(inner: GenealogyStore, reader: EdgeReader, options: CachedGenealogyStoreOptions = {}) {
    this.#inner = inner;
    this.#reader = reader;
    this.#options = options;
  }

  /** True once `load` has finished: reads are answered from memory from then on. */
  get ready(): boolean {
    return this.#index !== null;
  }

  /** The index's size, for logs and the bench. */
  get stats(): { lots: number; edges: number; typedArrayBytes: number } | null {
    const index = this.#index;
    return index ? { lots: index.lotCount, edges: index.edgeCount, typedArrayBytes: index.typedArrayBytes } : null;
  }

  /** Reads every edge into a fresh index (keyset pages in primary-key order), then serves reads from it. */
  load(): Promise<void> {
    return this.#serially(async () => {
      const [estimate] = await this.#reader.query<{ n: number | null }>(
        "SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'genealogy_edge' AND relkind = 'r'",
      );
      const expectedEdges = Math.max(0, Math.round(Number(estimate?.n ?? 0)));
      const index = new AdjacencyIndex({ edges: Math.ceil(expectedEdges * 1.05), lots: expectedEdges });
      const pageSize = this.#options.pageSize ?? 50_000;
      let last: [string, string] | null = null;
      for (;;) {
        const [page] = await this.#reader.query<{ lines: string | null }>(
          pageSql(last === null),
          last === null ? [pageSize] : [pageSize, ...last],
        );
        const edges = parseLines(page?.lines ?? null);
        for (const edge of edges) index.append(edge);
        this.#options.onProgress?.({ edges: index.edgeCount, expectedEdges });
        const tail = edges.at(-1);
        if (!tail || edges.length < pageSize) break;
        last = [tail.parentLotId, tail.childLotId];
      }
      // The pages come in uuid order, which scatters linked lots across the arrays (see relayout).
      index.relayout();
      this.#index = index;
    });
  }

  /**
   * Replaces the edges touching `lotIds` with what SQL has committed. Call it after a commit that
   * may have changed them (see the class comment); resolves once the index reflects that commit.
   */
  refresh(lotIds: Iterable<string>): Promise<void> {
    const lots = [...new Set(lotIds)].filter((id) => UUID.test(id));
    if (lots.length === 0) return this.#serially(async () => undefined);
    return this.#serially(async () => {
      // Before the load there is nothing to refresh: the load reads the same rows later.
      if (!this.#index) return;
      const [row] = await this.#reader.query<{ lines: string | null }>(INCIDENT_SQL, [lots]);
      this.#index.replaceIncident(lots, parseLines(row?.lines ?? null));
    });
  }

  /**
   * Runs `work`, which opens and commits one SQL transaction (e.g. `db.transaction(fn)`); writes
   * made inside it through {@link track}ed stores are refreshed once it resolves, never if it rejects.
   */
  async committing<T>(work: () => Promise<T>): Promise<T> {
    const scope: Scope = { touched: new Set() };
    const result = await this.#scopes.run(scope, work);
    await this.refresh(scope.touched);
    return result;
  }

  /**
   * A store bound to the current `committing` transaction (e.g. `new SqlGenealogyStore(tx)`):
   * writes go to it and name their lots for the refresh after commit; reads go to it too, so
   * they see the transaction's own writes. Throws outside {@link committing}.
   */
  track(transactional: GenealogyStore): GenealogyStore {
    const scope = this.#scopes.getStore();
    if (!scope) throw new Error("CachedGenealogyStore.track() called outside committing(): the cache would go stale");
    return new TrackedStore(transactional, scope.touched);
  }

  async upsertLot(node: GenealogyLotNode): Promise<void> {
    await this.#inner.upsertLot(node);
  }

  recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    // The edges written are lotId → every output of the run: all touch lotId.
    return this.#writeThenRefresh([lotId], () => this.#inner.recordRunInput(runId, lotId, quantity, consumptionId));
  }

  recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    // The edges written are every input of the run → lotId.
    return this.#writeThenRefresh([lotId], () => this.#inner.recordRunOutput(runId, lotId));
  }

  async parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#index ? this.#index.neighbours(lotIds, "UPSTREAM") : this.#inner.parentsOf(lotIds);
  }

  async childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#index ? this.#index.neighbours(lotIds, "DOWNSTREAM") : this.#inner.childrenOf(lotIds);
  }

  async trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    checkTraceDepth(maxDepth);
    return this.#index ? this.#index.trace(lotId, direction, maxDepth) : this.#inner.trace(lotId, direction, maxDepth);
  }

  async descendants(lotIds: readonly string[]): Promise<string[]> {
    return this.#index ? this.#index.descendants(lotIds, MAX_DESCENDANTS) : this.#inner.descendants(lotIds);
  }

  lotsBySupplierLotCode(code: string): Promise<string[]> {
    return this.#inner.lotsBySupplierLotCode(code);
  }

  async #writeThenRefresh<T>(lotIds: string[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      await this.refresh(lotIds);
    }
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** Delegates everything to a transaction-bound store, noting the lots each write touches. */
class TrackedStore implements GenealogyStore {
  constructor(
    private readonly inner: GenealogyStore,
    private readonly touched: Set<string>,
  ) {}

  upsertLot(node: GenealogyLotNode): Promise<void> {
    return this.inner.upsertLot(node);
  }

  recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult> {
    this.touched.add(lotId);
    return this.inner.recordRunInput(runId, lotId, quantity, consumptionId);
  }

  recordRunOutput(runId: string, lotId: string): Promise<LinkResult> {
    this.touched.add(lotId);
    return this.inner.recordRunOutput(runId, lotId);
  }

  parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.inner.parentsOf(lotIds);
  }

  childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.inner.childrenOf(lotIds);
  }

  trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult> {
    return this.inner.trace(lotId, direction, maxDepth);
  }

  descendants(lotIds: readonly string[]): Promise<string[]> {
    return this.inner.descendants(lotIds);
  }

  lotsBySupplierLotCode(code: string): Promise<string[]> {
    return this.inner.lotsBySupplierLotCode(code);
  }
}

function parseLines(lines: string | null): IndexedEdge[] {
  if (!lines) return [];
  return lines.split("\n").map((line) => {
    const [parentLotId = "", childLotId = "", quantity = "", runId = "", createdAt = "0"] = line.split(",");
    return {
      parentLotId,
      childLotId,
      quantity: quantity === "" ? null : quantity,
      runId: runId === "" ? null : runId,
      createdAt: Number(createdAt),
    };
  });
}
