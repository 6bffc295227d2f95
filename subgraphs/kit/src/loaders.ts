import DataLoader from "dataloader";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every Lotgraph id is a UUID; anything else cannot exist and must not reach a uuid column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A per-request DataLoader keyed by entity id: one batched lookup for however many references a
 * response holds (`__resolveReference` included). `fetch` receives only well-formed ids and
 * returns a map; missing keys resolve to `missing`.
 */
export function keyedLoader<V>(
  fetch: (ids: readonly string[]) => Promise<Map<string, V>>,
  missing: V,
): DataLoader<string, V>;
export function keyedLoader<V>(
  fetch: (ids: readonly string[]) => Promise<Map<string, V>>,
): DataLoader<string, V | null>;
export function keyedLoader<V>(fetch: (ids: readonly string[]) => Promise<Map<string, V>>, missing: V | null = null) {
  return new DataLoader<string, V | null>(async (ids) => {
    const found = await fetch(ids.filter(isUuid));
    return ids.map((id) => found.get(id) ?? missing);
  });
}

/** Indexes rows by their `id`, for {@link keyedLoader}. */
export function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.id, row]));
}
