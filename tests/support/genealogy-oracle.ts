/**
 * An independent model of the genealogy for tests: plain BFS over a list of parent → child
 * pairs, written without reference to any store's query so that a store bug cannot hide in both.
 */
export type Direction = "UPSTREAM" | "DOWNSTREAM";
export type Edge = readonly [parent: string, child: string];

export interface OracleTrace {
  /** lot id → fewest links from the root */
  depths: Map<string, number>;
  /** "parent>child" keys of every edge with both ends in `depths` */
  edges: Set<string>;
  truncated: boolean;
}

export const edgeKey = (parent: string, child: string): string => `${parent}>${child}`;

/** Neighbours in the walking direction: children going DOWNSTREAM, parents going UPSTREAM. */
export function adjacency(edges: readonly Edge[], direction: Direction): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const [parent, child] of edges) {
    const [from, to] = direction === "DOWNSTREAM" ? [parent, child] : [child, parent];
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  return next;
}

/** BFS from `root`: the first visit of a lot is by the fewest links. */
export function oracleTrace(edges: readonly Edge[], root: string, direction: Direction, maxDepth: number): OracleTrace {
  const next = adjacency(edges, direction);
  const depths = new Map<string, number>([[root, 0]]);
  const queue = [root];
  let truncated = false;
  for (let head = 0; head < queue.length; head++) {
    const lot = queue[head]!;
    const depth = depths.get(lot)!;
    for (const neighbour of next.get(lot) ?? []) {
      if (depths.has(neighbour)) continue;
      if (depth === maxDepth) {
        truncated = true;
        continue;
      }
      depths.set(neighbour, depth + 1);
      queue.push(neighbour);
    }
  }
  const inside = new Set<string>();
  for (const [parent, child] of edges) {
    if (depths.has(parent) && depths.has(child)) inside.add(edgeKey(parent, child));
  }
  return { depths, edges: inside, truncated };
}

/** Every lot reachable downstream from `starts`, the starts excluded, sorted. */
export function oracleDescendants(edges: readonly Edge[], starts: readonly string[]): string[] {
  const next = adjacency(edges, "DOWNSTREAM");
  const seen = new Set<string>(starts);
  const queue = [...starts];
  const found: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    for (const child of next.get(queue[head]!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found.sort();
}
