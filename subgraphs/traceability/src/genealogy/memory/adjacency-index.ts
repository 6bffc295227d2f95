import { walkBreadthFirstSync, type VisitedLots } from "../breadth-first.ts";
import type { GenealogyEdgeRecord, TraceDirection, TraceResult } from "../port/genealogy-store.ts";
import { OVERFLOW_QUANTITY, formatMicro, microOf } from "./edge-quantity.ts";
import { grow, inverse, permute, renumber } from "./typed-arrays.ts";

/** One edge as the index stores it: the port's record plus its creation time (ms since the epoch). */
export interface IndexedEdge extends GenealogyEdgeRecord {
  createdAt: number;
}

const NONE = -1;

/**
 * The lot genealogy in memory, for answering `trace`, `descendants`, `parentsOf` and `childrenOf`
 * without a database round trip (cached-genealogy-store.ts keeps it in step with SQL).
 *
 * Layout (memory-lean, no object per edge): lot ids are interned to dense int32 numbers (a
 * `Map<string, number>` and the id strings, which `trace` returns as they are); run ids likewise
 * in a table of their own. Edge `e` lives in parallel typed arrays (parent, child, run, quantity
 * as millionths, created at), and each lot heads two singly linked lists threaded through the
 * edges (`nextDown`, `nextUp`): O(1) appends for incremental edges, no rebuild, ~36 bytes an edge
 * and ~20 bytes a lot of typed arrays besides the id strings. The arrays grow by doubling.
 * After a bulk load, {@link relayout} renumbers lots, runs and edges so that linked lots sit
 * together in memory: a trace's cost is mostly memory latency, so that order is what makes it fast.
 * Every walk (trace, descendants, the relayout's order) is the shared BFS driver over these lists.
 */
export class AdjacencyIndex {
  readonly #lotNumber = new Map<string, number>();
  readonly #lotIds: string[] = [];
  readonly #runNumber = new Map<string, number>();
  readonly #runIds: string[] = [];
  /** quantities that are not exact as millionths in a double (or not in SQL's 6-decimal form) */
  readonly #quantityText = new Map<number, string>();

  #headDown: Int32Array;
  #headUp: Int32Array;
  /** BFS scratch, per lot: the number of the walk that last visited it (see {@link #visitedLots}). */
  #visit: Int32Array;
  #walk = 0;
  #lastMicro = Number.NaN;
  #lastText = "";

  #parent: Int32Array;
  #child: Int32Array;
  #run: Int32Array;
  #nextDown: Int32Array;
  #nextUp: Int32Array;
  #quantity: Float64Array;
  #createdAt: Float64Array;
  #edges = 0;
  /** edges unlinked by `replaceIncident` (their slots are not reused) */
  #removed = 0;

  constructor(expected: { lots?: number; edges?: number } = {}) {
    const lots = Math.max(16, expected.lots ?? 0);
    const edges = Math.max(16, expected.edges ?? 0);
    this.#headDown = new Int32Array(lots).fill(NONE);
    this.#headUp = new Int32Array(lots).fill(NONE);
    this.#visit = new Int32Array(lots);
    this.#parent = new Int32Array(edges);
    this.#child = new Int32Array(edges);
    this.#run = new Int32Array(edges);
    this.#nextDown = new Int32Array(edges);
    this.#nextUp = new Int32Array(edges);
    this.#quantity = new Float64Array(edges);
    this.#createdAt = new Float64Array(edges);
  }

  /** Lots that have at least one edge. */
  get lotCount(): number {
    return this.#lotIds.length;
  }

  get edgeCount(): number {
    return this.#edges - this.#removed;
  }

  /** Bytes held by the typed arrays (the id strings and maps come on top; see the bench for RSS). */
  get typedArrayBytes(): number {
    const lots = this.#headDown.length * 4 * 3;
    const edges = this.#parent.length * (4 * 5 + 8 * 2);
    return lots + edges;
  }

  /**
   * Adds an edge known to be new (the bulk load: every row of the edge table once, on an empty
   * index or one holding other edges). Use {@link replaceIncident} when it may already be there.
   */
  append(edge: IndexedEdge): void {
    const e = this.#newEdge(this.#intern(edge.parentLotId), this.#intern(edge.childLotId));
    this.#setDetails(e, edge);
  }

  /**
   * Makes the edges touching `lotIds` exactly `edges` (every edge with an end among them, as the
   * database holds them now): new ones are added, known ones get their quantity, run and time,
   * and known ones missing from `edges` are removed. Edges between other lots are left alone.
   */
  replaceIncident(lotIds: Iterable<string>, edges: readonly IndexedEdge[]): void {
    const existing = new Map<string, number>();
    for (const lotId of lotIds) {
      const lot = this.#lotNumber.get(lotId);
      if (lot === undefined) continue;
      for (let e = this.#headDown[lot]!; e !== NONE; e = this.#nextDown[e]!) existing.set(this.#key(e), e);
      for (let e = this.#headUp[lot]!; e !== NONE; e = this.#nextUp[e]!) existing.set(this.#key(e), e);
    }
    for (const edge of edges) {
      const parent = this.#intern(edge.parentLotId);
      const child = this.#intern(edge.childLotId);
      const key = `${parent}>${child}`;
      const known = existing.get(key);
      if (known === undefined) {
        this.#setDetails(this.#newEdge(parent, child), edge);
      } else {
        this.#setDetails(known, edge);
        existing.delete(key);
      }
    }
    for (const e of existing.values()) this.#unlink(e);
  }

  /**
   * Renumbers lots, runs and edges so that what one trace reads lies close together in memory.
   * Lots are numbered as the load meets them, in uuid order: random, so a 10-level trace of
   * ~1,000 lots and edges touched as many scattered cache lines of each array, and memory latency
   * dominated it (2–3× slower than the same walk over well-ordered numbers). Numbering lots in
   * breadth-first order of the genealogy taken undirected gives linked lots nearby numbers;
   * edges are then laid out lot by lot in that order, and runs in the order of their edges.
   * Call it after the bulk load (O(lots + edges)); lots and edges added later append as before.
   */
  relayout(): void {
    const order = this.#localityOrder();
    const rank = inverse(order);
    this.#reorderEdges(this.#edgeOrder(order), rank);
    renumber(this.#lotIds, this.#lotNumber, order, rank);
    this.#renumberRuns();
    this.#relink(order.length);
  }

  /** Lots in breadth-first order over parents and children alike, component by component. */
  #localityOrder(): Int32Array {
    const lotCount = this.#lotIds.length;
    const order = new Int32Array(lotCount);
    const visited = this.#visitedLots();
    // Undirected: a lot's neighbours are its children, then its parents; an "edge" is the neighbour.
    const expand = (frontier: readonly number[]) => {
      const neighbours: number[] = [];
      for (const lot of frontier) {
        for (let e = this.#headDown[lot]!; e !== NONE; e = this.#nextDown[e]!) neighbours.push(this.#child[e]!);
        for (let e = this.#headUp[lot]!; e !== NONE; e = this.#nextUp[e]!) neighbours.push(this.#parent[e]!);
      }
      return neighbours;
    };
    let size = 0;
    for (let start = 0; start < lotCount; start++) {
      if (visited.has(start)) continue;
      const component = walkBreadthFirstSync(
        [start],
        { expand, farEnd: (lot: number) => lot, visited },
        { maxDepth: Number.POSITIVE_INFINITY, keepEdges: false },
      );
      order.set(component.lots, size);
      size += component.lots.length;
    }
    return order;
  }

  /** Old edge numbers in their new order: lot by lot in `order`, the edges to its children (the linked ones). */
  #edgeOrder(order: Int32Array): Int32Array {
    const edgeOrder = new Int32Array(this.#edges - this.#removed);
    let size = 0;
    for (const lot of order) {
      for (let e = this.#headDown[lot]!; e !== NONE; e = this.#nextDown[e]!) edgeOrder[size++] = e;
    }
    return edgeOrder;
  }

  /** Moves edge `edgeOrder[i]` to slot i (dropping unlinked slots), its ends renamed by `lotRank`. */
  #reorderEdges(edgeOrder: Int32Array, lotRank: Int32Array): void {
    const count = edgeOrder.length;
    const ints = new Int32Array(count);
    for (const array of [this.#parent, this.#child]) {
      permute(array, edgeOrder, ints);
      for (let e = 0; e < count; e++) array[e] = lotRank[array[e]!]!;
    }
    permute(this.#run, edgeOrder, ints);
    const doubles = new Float64Array(count);
    permute(this.#quantity, edgeOrder, doubles);
    permute(this.#createdAt, edgeOrder, doubles);
    const slot = inverse(edgeOrder, this.#edges);
    const texts = [...this.#quantityText];
    this.#quantityText.clear();
    for (const [e, text] of texts) this.#quantityText.set(slot[e]!, text);
    this.#edges = count;
    this.#removed = 0;
  }

  /** Run numbers in order of first use by the (relaid) edges. */
  #renumberRuns(): void {
    const runCount = this.#runIds.length;
    const order = new Int32Array(runCount);
    const rank = new Int32Array(runCount).fill(NONE);
    let size = 0;
    for (let e = 0; e < this.#edges; e++) {
      const run = this.#run[e]!;
      if (run === NONE) continue;
      if (rank[run] === NONE) {
        rank[run] = size;
        order[size++] = run;
      }
      this.#run[e] = rank[run]!;
    }
    // Runs no edge uses any more keep a number, after the others.
    for (let run = 0; run < runCount; run++) {
      if (rank[run] === NONE) {
        rank[run] = size;
        order[size++] = run;
      }
    }
    renumber(this.#runIds, this.#runNumber, order, rank);
  }

  /** Rebuilds both lists of every lot from the edge arrays, each newest (highest number) first. */
  #relink(lotCount: number): void {
    this.#headDown.fill(NONE, 0, lotCount);
    this.#headUp.fill(NONE, 0, lotCount);
    for (let e = 0; e < this.#edges; e++) {
      const parent = this.#parent[e]!;
      const child = this.#child[e]!;
      this.#nextDown[e] = this.#headDown[parent]!;
      this.#headDown[parent] = e;
      this.#nextUp[e] = this.#headUp[child]!;
      this.#headUp[child] = e;
    }
  }

  /** BFS with the semantics of {@link GenealogyStore.trace}; `maxDepth` is checked by the caller. */
  trace(lotId: string, direction: TraceDirection, maxDepth: number): TraceResult {
    const root = this.#lotNumber.get(lotId);
    if (root === undefined) return { nodes: [{ lotId, depth: 0 }], edges: [], truncated: false };
    const walk = walkBreadthFirstSync([root], this.#edgeSource(direction), { maxDepth });
    const lotIds = this.#lotIds;
    const nodes = new Array<{ lotId: string; depth: number }>(walk.lots.length);
    for (let i = 0; i < nodes.length; i++) nodes[i] = { lotId: lotIds[walk.lots[i]!]!, depth: walk.depths[i]! };
    return { nodes, edges: this.#edgeRecords(walk.edges), truncated: walk.truncated };
  }

  /** Lots reachable downstream from `lotIds`, the starts excluded; throws past `limit`. */
  descendants(lotIds: readonly string[], limit: number): string[] {
    // Lots the index does not know have no edge: nothing descends from them.
    const starts = lotIds.flatMap((id) => this.#lotNumber.get(id) ?? []);
    const walk = walkBreadthFirstSync(starts, this.#edgeSource("DOWNSTREAM"), {
      maxDepth: Number.POSITIVE_INFINITY,
      maxReached: limit,
      keepEdges: false,
    });
    return walk.lots.slice(walk.startCount).map((lot) => this.#lotIds[lot]!);
  }

  /** The lists a walk in `direction` follows: edges are edge numbers, lots lot numbers. */
  #edgeSource(direction: TraceDirection) {
    const down = direction === "DOWNSTREAM";
    const head = down ? this.#headDown : this.#headUp;
    const next = down ? this.#nextDown : this.#nextUp;
    const far = down ? this.#child : this.#parent;
    return {
      expand: (frontier: readonly number[]) => {
        const edges: number[] = [];
        for (const lot of frontier) for (let e = head[lot]!; e !== NONE; e = next[e]!) edges.push(e);
        return edges;
      },
      farEnd: (e: number) => far[e]!,
      visited: this.#visitedLots(),
    };
  }

  /** A fresh visited set over the `#visit` stamps: O(1) to start, no allocation per lot. */
  #visitedLots(): VisitedLots<number> {
    const walk = this.#nextWalk();
    const visit = this.#visit;
    return { has: (lot) => visit[lot] === walk, add: (lot) => void (visit[lot] = walk) };
  }

  /** The given edges as the port's records. */
  #edgeRecords(found: readonly number[]): GenealogyEdgeRecord[] {
    const parent = this.#parent;
    const child = this.#child;
    const run = this.#run;
    const lotIds = this.#lotIds;
    const runIds = this.#runIds;
    const edges = new Array<GenealogyEdgeRecord>(found.length);
    for (let i = 0; i < found.length; i++) {
      const e = found[i]!;
      const r = run[e]!;
      edges[i] = {
        parentLotId: lotIds[parent[e]!]!,
        childLotId: lotIds[child[e]!]!,
        quantity: this.#quantityOf(e),
        runId: r === NONE ? null : runIds[r]!,
      };
    }
    return edges;
  }

  /**
   * lot id → its direct neighbours in `direction`, oldest edge first (equal times by lot id);
   * lots without any are absent.
   */
  neighbours(lotIds: readonly string[], direction: TraceDirection): Map<string, string[]> {
    const down = direction === "DOWNSTREAM";
    const head = down ? this.#headDown : this.#headUp;
    const next = down ? this.#nextDown : this.#nextUp;
    const far = down ? this.#child : this.#parent;
    const result = new Map<string, string[]>();
    for (const lotId of lotIds) {
      const lot = this.#lotNumber.get(lotId);
      if (lot === undefined || result.has(lotId)) continue;
      const found: number[] = [];
      for (let e = head[lot]!; e !== NONE; e = next[e]!) found.push(e);
      if (found.length === 0) continue;
      const farId = (e: number) => this.#lotIds[far[e]!]!;
      // created_at ascending as the SQL store orders them. Equal times (the edges of one run share
      // its transaction's) by lot id: the order the load's primary-key pages meet them in, and
      // one that does not depend on where `relayout` put the edges.
      found.sort((a, b) => this.#createdAt[a]! - this.#createdAt[b]! || compareIds(farId(a), farId(b)));
      result.set(lotId, found.map(farId));
    }
    return result;
  }

  #quantityOf(e: number): string | null {
    const micro = this.#quantity[e]!;
    if (Number.isNaN(micro)) return null;
    if (micro === OVERFLOW_QUANTITY) return this.#quantityText.get(e) ?? null;
    // The edges of one run input share its quantity and lie next to each other in a list.
    if (micro !== this.#lastMicro) {
      this.#lastMicro = micro;
      this.#lastText = formatMicro(micro);
    }
    return this.#lastText;
  }

  #setDetails(e: number, edge: IndexedEdge): void {
    this.#quantityText.delete(e);
    const quantity = edge.quantity;
    const micro = microOf(quantity);
    this.#quantity[e] = micro;
    if (micro === OVERFLOW_QUANTITY) this.#quantityText.set(e, quantity!);
    this.#run[e] = edge.runId === null ? NONE : this.#internRun(edge.runId);
    this.#createdAt[e] = edge.createdAt;
  }

  #key(e: number): string {
    return `${this.#parent[e]!}>${this.#child[e]!}`;
  }

  #nextWalk(): number {
    if (this.#walk === 0x7fffffff) {
      this.#visit.fill(0);
      this.#walk = 0;
    }
    return ++this.#walk;
  }

  #intern(lotId: string): number {
    const known = this.#lotNumber.get(lotId);
    if (known !== undefined) return known;
    const lot = this.#lotIds.length;
    if (lot === this.#headDown.length) this.#growLots();
    this.#lotIds.push(lotId);
    this.#lotNumber.set(lotId, lot);
    this.#headDown[lot] = NONE;
    this.#headUp[lot] = NONE;
    return lot;
  }

  #internRun(runId: string): number {
    const known = this.#runNumber.get(runId);
    if (known !== undefined) return known;
    const run = this.#runIds.length;
    this.#runIds.push(runId);
    this.#runNumber.set(runId, run);
    return run;
  }

  #newEdge(parent: number, child: number): number {
    const e = this.#edges;
    if (e === this.#parent.length) this.#growEdges();
    this.#edges++;
    this.#parent[e] = parent;
    this.#child[e] = child;
    this.#nextDown[e] = this.#headDown[parent]!;
    this.#headDown[parent] = e;
    this.#nextUp[e] = this.#headUp[child]!;
    this.#headUp[child] = e;
    return e;
  }

  /** Takes edge `e` out of both lists; its slot stays unused until a relayout (removals are rare). */
  #unlink(e: number): void {
    const unlinkFrom = (head: Int32Array, next: Int32Array, lot: number) => {
      if (head[lot] === e) {
        head[lot] = next[e]!;
        return;
      }
      for (let at = head[lot]!; at !== NONE; at = next[at]!) {
        if (next[at] === e) {
          next[at] = next[e]!;
          return;
        }
      }
    };
    unlinkFrom(this.#headDown, this.#nextDown, this.#parent[e]!);
    unlinkFrom(this.#headUp, this.#nextUp, this.#child[e]!);
    this.#quantityText.delete(e);
    this.#removed++;
  }

  #growLots(): void {
    const size = this.#headDown.length * 2;
    this.#headDown = grow(this.#headDown, size, NONE);
    this.#headUp = grow(this.#headUp, size, NONE);
    this.#visit = grow(this.#visit, size, 0);
  }

  #growEdges(): void {
    const size = this.#parent.length * 2;
    this.#parent = grow(this.#parent, size, 0);
    this.#child = grow(this.#child, size, 0);
    this.#run = grow(this.#run, size, 0);
    this.#nextDown = grow(this.#nextDown, size, 0);
    this.#nextUp = grow(this.#nextUp, size, 0);
    const quantity = new Float64Array(size);
    quantity.set(this.#quantity);
    this.#quantity = quantity;
    const createdAt = new Float64Array(size);
    createdAt.set(this.#createdAt);
    this.#createdAt = createdAt;
  }
}

/** Lot ids are distinct, so this never answers 0 for two edges of one lot. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
