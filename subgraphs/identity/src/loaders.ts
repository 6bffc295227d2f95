import DataLoader from "dataloader";
import type { UserRecord } from "./domain/records.ts";
import { findUsersByIds, type IdentityClient } from "./store/user-store.ts";

export interface IdentityLoaders {
  user: DataLoader<string, UserRecord | null>;
}

/** Per-request loaders: one query per entity type however many references a response holds. */
export function createLoaders(db: IdentityClient): IdentityLoaders {
  return {
    user: new DataLoader(async (ids) => {
      const rows = await findUsersByIds(db, ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
