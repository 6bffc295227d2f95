import type { LotNode } from "../../domain/records.ts";

/** The outcome of linking lots: edges written, and edges refused because they would close a cycle. */
export interface LinkResult {
  linked: number;
  refusedCycles: Array<{ parentLotId: string; childLotId: string }>;
}

/**
 * A lot as the genealogy knows it. `supplierLotCode` comes from inventory's `lot.received` event;
 * `undefined` (an event that does not carry it) leaves a stored value as it is.
 */
export type GenealogyLotNode = LotNode & { supplierLotCode?: string | null };

/** UPSTREAM walks to parents (where did it come from), DOWNSTREAM to children (where did it go). */
export type TraceDirection = "UPSTREAM" | "DOWNSTREAM";

/** One parent → child link, with the quantity of the parent consumed and the run that linked them. */
export interface GenealogyEdgeRecord {
  parentLotId: string;
  childLotId: string;
  /** Decimal string with the SQL scale (6 places), or null when unknown. */
  quantity: string | null;
  runId: string | null;
}

/** What `trace` returns (the `Trace` type of DESIGN.md §5, by id). */
export interface TraceResult {
  /** Every lot within `maxDepth`, each once, with its depth: fewest links from the root (root = 0). */
  nodes: Array<{ lotId: string; depth: number }>;
  /** Every edge whose two ends are both in `nodes`, oriented parent → child whatever the direction. */
  edges: GenealogyEdgeRecord[];
  /** True when lots lie beyond `maxDepth` in the traced direction (false when nothing does). */
  truncated: boolean;
}

/**
 * The most lots `descendants` returns. A recall larger than this is not a recall but a sign of a
 * corrupted or mis-modelled genealogy; the store fails loudly rather than return a partial list,
 * since a silently cut recall would leave affected lots on the market.
 */
export const MAX_DESCENDANTS = 200_000;

/** The deepest `trace` accepted: far beyond any real plant (DESIGN.md's default is 50). */
export const MAX_TRACE_DEPTH = 1000;

/** The walk of `descendants` passed {@link MAX_DESCENDANTS}. */
export class GenealogyTooLargeError extends Error {
  readonly code = "GENEALOGY_TOO_LARGE";
  constructor(readonly limit: number) {
    super(`more than ${limit} descendant lots: refusing to return a partial genealogy`);
  }
}

/** Checks a `maxDepth` argument; both adapters call it before touching the store. */
export function checkTraceDepth(maxDepth: number): number {
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_TRACE_DEPTH) {
    throw new RangeError(`maxDepth must be an integer from 0 to ${MAX_TRACE_DEPTH}, got ${maxDepth}`);
  }
  return maxDepth;
}

/**
 * The GenealogyStore port: the lot graph as a projection of events. The embedded adapter keeps
 * it in traceability's own SQL database (`sql-genealogy-store.ts`); services mode keeps it in
 * Neo4j (`neo4j-genealogy-store.ts`). `tests/conformance/genealogy-store.test.ts` holds both to
 * the same behaviour. Every write is idempotent: applying the same event twice changes nothing.
 */
export interface GenealogyStore {
  /** Adds a lot node, or fills in what an earlier event did not know (its code, its supplier lot code). */
  upsertLot(node: GenealogyLotNode): Promise<void>;
  /**
   * A run consumed `quantity` of a lot: the lot becomes a parent of every lot the run has output
   * (DESIGN.md §4.4), with the run's total consumption of it as the edge quantity. With a
   * `consumptionId`, a replayed consumption is counted once; without one, every call adds.
   */
  recordRunInput(runId: string, lotId: string, quantity: string, consumptionId?: string): Promise<LinkResult>;
  /** A run output a lot: every lot the run has consumed becomes its parent. */
  recordRunOutput(runId: string, lotId: string): Promise<LinkResult>;
  /** lot id → ids of its direct parents */
  parentsOf(lotIds: readonly string[]): Promise<Map<string, string[]>>;
  /** lot id → ids of its direct children */
  childrenOf(lotIds: readonly string[]): Promise<Map<string, string[]>>;
  /**
   * Breadth-first walk from `lotId`, at most `maxDepth` links (0 to {@link MAX_TRACE_DEPTH}).
   * The root is always in `nodes` at depth 0, even when the genealogy has not seen it yet.
   */
  trace(lotId: string, direction: TraceDirection, maxDepth: number): Promise<TraceResult>;
  /**
   * Every lot reachable downstream from `lotIds`, the starts excluded (unless one descends from
   * another), unbounded in depth; for recalls and hold propagation. Throws
   * {@link GenealogyTooLargeError} past {@link MAX_DESCENDANTS} lots.
   */
  descendants(lotIds: readonly string[]): Promise<string[]>;
  /** Ids of the received lots carrying that supplier lot code (several suppliers may reuse one). */
  lotsBySupplierLotCode(code: string): Promise<string[]>;
}
