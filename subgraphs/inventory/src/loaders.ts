import DataLoader from "dataloader";
import type { LocationRecord, LotRecord, MaterialRecord, PartyRecord } from "./domain/records.ts";
import { findLocations, findLots, findMaterials, findParties, type InventoryClient } from "./store/inventory-store.ts";

export interface InventoryLoaders {
  material: DataLoader<string, MaterialRecord | null>;
  location: DataLoader<string, LocationRecord | null>;
  party: DataLoader<string, PartyRecord | null>;
  lot: DataLoader<string, LotRecord | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Batches lookups by id; ids that are not UUIDs cannot exist and resolve to null. */
function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await fetch(ids.filter((id) => UUID.test(id)));
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Per-request loaders (also behind `__resolveReference`), so a page of lots costs one query per type. */
export function createLoaders(db: InventoryClient): InventoryLoaders {
  return {
    material: byId((ids) => findMaterials(db, ids)),
    location: byId((ids) => findLocations(db, ids)),
    party: byId((ids) => findParties(db, ids)),
    lot: byId((ids) => findLots(db, ids)),
  };
}
