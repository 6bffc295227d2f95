/** Typed-array moves of the adjacency index: growth, and the permutations of its relayout. */

/** Reorders the first `order.length` slots of `array` in place: slot i gets what slot order[i] held. */
export function permute<T extends Int32Array | Float64Array>(array: T, order: Int32Array, scratch: T): T {
  for (let i = 0; i < order.length; i++) scratch[i] = array[order[i]!]!;
  array.set(scratch.subarray(0, order.length));
  return array;
}

/** The permutation undoing `order`: inverse[order[i]] = i (slots not in `order` stay 0). */
export function inverse(order: Int32Array, size = order.length): Int32Array {
  const result = new Int32Array(size);
  for (let i = 0; i < order.length; i++) result[order[i]!] = i;
  return result;
}

/** Renumbers an interning table in place: number i goes to what was number order[i] (rank inverts order). */
export function renumber(ids: string[], numbers: Map<string, number>, order: Int32Array, rank: Int32Array): void {
  const old = ids.slice();
  for (let i = 0; i < order.length; i++) ids[i] = old[order[i]!]!;
  // In the old numbers' order, which is the map's insertion order: its entries are then visited
  // in memory order (a third faster than in the new order at a million ids).
  for (let j = 0; j < old.length; j++) numbers.set(old[j]!, rank[j]!);
}

/** A copy of `array` `size` long, the new slots set to `fill`. */
export function grow(array: Int32Array, size: number, fill: number): Int32Array {
  const grown = new Int32Array(size);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}
