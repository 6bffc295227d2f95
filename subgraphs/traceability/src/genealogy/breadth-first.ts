import {
  GenealogyTooLargeError,
  MAX_DESCENDANTS,
  type GenealogyEdgeRecord,
  type TraceDirection,
  type TraceResult,
} from "./port/genealogy-store.ts";

/**
 * The one breadth-first walk of the genealogy. Every adapter walks the same way and differs only
 * in how it expands a frontier: the SQL `frontier` strategy and Neo4j with one single-hop query
 * per level, the in-memory index over its typed-array lists. Keeping the walk in one place keeps
 * depth, `truncated` and edge semantics identical across them (the conformance suite checks it).
 */

/** The lots a walk has already reached; a Set by default, the index brings typed-array stamps. */
export interface VisitedLots<Lot> {
  has(lot: Lot): boolean;
  add(lot: Lot): void;
}

export interface WalkBounds {
  /** Levels expanded: 0 … maxDepth (Infinity for an unbounded walk). */
  maxDepth: number;
  /** Most lots reached besides the starts; one more throws {@link GenealogyTooLargeError}. */
  maxReached?: number;
  /** Whether to collect the edges walked (a trace needs them; descendants and layouts do not). */
  keepEdges?: boolean;
}

/** What a walk found: lots in BFS order with their depths, the starts first (depth 0). */
export interface Walk<Lot, Edge> {
  lots: Lot[];
  depths: number[];
  /** How many of `lots` are starts (duplicate or already visited starts are dropped). */
  startCount: number;
  /** Every edge from an expanded lot to a lot of `lots`, once each, level by level. */
  edges: Edge[];
  /** True when the last level had edges to lots beyond `maxDepth`. */
  truncated: boolean;
}

/** How a graph is walked: one level's edges, and the lot an edge leads to in the walk's direction. */
export interface FrontierSource<Lot, Edge, Expanded> {
  expand(frontier: readonly Lot[]): Expanded;
  farEnd(edge: Edge): Lot;
  visited?: VisitedLots<Lot>;
}

/**
 * The walk itself, as a generator so that one body serves synchronous and asynchronous sources:
 * it yields each frontier and is handed back that frontier's edges (see the two pumps below).
 *
 * Levels 0 … maxDepth are expanded. In BFS order every lot within maxDepth is visited before the
 * last level is expanded, so an unvisited neighbour found then lies beyond the bound: it is not
 * taken, and marks the walk `truncated`. Each lot is expanded once, so each edge between two
 * reached lots is found once, from its near end; expanding the last level is also what finds the
 * edges between two lots of the last levels.
 */
function* levels<Lot, Edge>(
  starts: Iterable<Lot>,
  farEnd: (edge: Edge) => Lot,
  visited: VisitedLots<Lot>,
  bounds: WalkBounds,
): Generator<readonly Lot[], Walk<Lot, Edge>, Iterable<Edge>> {
  const { maxDepth, maxReached = Number.POSITIVE_INFINITY, keepEdges = true } = bounds;
  const lots: Lot[] = [];
  const depths: number[] = [];
  for (const start of starts) {
    if (visited.has(start)) continue;
    visited.add(start);
    lots.push(start);
    depths.push(0);
  }
  const startCount = lots.length;
  const edges: Edge[] = [];
  let truncated = false;
  let frontier: Lot[] = lots.slice();
  for (let depth = 0; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: Lot[] = [];
    for (const edge of yield frontier) {
      const lot = farEnd(edge);
      if (!visited.has(lot)) {
        if (depth === maxDepth) {
          truncated = true;
          continue;
        }
        if (lots.length - startCount >= maxReached) throw new GenealogyTooLargeError(maxReached);
        visited.add(lot);
        next.push(lot);
        lots.push(lot);
        depths.push(depth + 1);
      }
      if (keepEdges) edges.push(edge);
    }
    frontier = next;
  }
  return { lots, depths, startCount, edges, truncated };
}

/** Walks a source that expands a frontier with a query (one round trip per level). */
export async function walkBreadthFirst<Lot, Edge>(
  starts: Iterable<Lot>,
  source: FrontierSource<Lot, Edge, Promise<Iterable<Edge>>>,
  bounds: WalkBounds,
): Promise<Walk<Lot, Edge>> {
  const walk = levels(starts, source.farEnd, source.visited ?? new Set<Lot>(), bounds);
  for (let step = walk.next(); ;) {
    if (step.done) return step.value;
    step = walk.next(await source.expand(step.value));
  }
}

/** Walks a source held in memory, without giving up the thread between levels. */
export function walkBreadthFirstSync<Lot, Edge>(
  starts: Iterable<Lot>,
  source: FrontierSource<Lot, Edge, Iterable<Edge>>,
  bounds: WalkBounds,
): Walk<Lot, Edge> {
  const walk = levels(starts, source.farEnd, source.visited ?? new Set<Lot>(), bounds);
  for (let step = walk.next(); ;) {
    if (step.done) return step.value;
    step = walk.next(source.expand(step.value));
  }
}

/** The lot an edge record leads to when walking in `direction`. */
export function farEndOf(direction: TraceDirection): (edge: GenealogyEdgeRecord) => string {
  return direction === "DOWNSTREAM" ? (edge) => edge.childLotId : (edge) => edge.parentLotId;
}

/** `trace` (the port's semantics) over a source that fetches one level's edge records per call. */
export async function traceByLevels(
  lotId: string,
  direction: TraceDirection,
  maxDepth: number,
  expand: (frontier: readonly string[]) => Promise<GenealogyEdgeRecord[]>,
): Promise<TraceResult> {
  const walk = await walkBreadthFirst([lotId], { expand, farEnd: farEndOf(direction) }, { maxDepth });
  return {
    nodes: walk.lots.map((id, i) => ({ lotId: id, depth: walk.depths[i]! })),
    edges: walk.edges,
    truncated: walk.truncated,
  };
}

/** `descendants` (the port's semantics) over a source that fetches one level's downstream edges per call. */
export async function descendantsByLevels(
  lotIds: readonly string[],
  expandDownstream: (frontier: readonly string[]) => Promise<GenealogyEdgeRecord[]>,
): Promise<string[]> {
  const walk = await walkBreadthFirst(
    lotIds,
    { expand: expandDownstream, farEnd: farEndOf("DOWNSTREAM") },
    { maxDepth: Number.POSITIVE_INFINITY, maxReached: MAX_DESCENDANTS, keepEdges: false },
  );
  return walk.lots.slice(walk.startCount);
}
