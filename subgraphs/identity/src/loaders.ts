import { byId, keyedLoader } from "@lotgraph/kit";
import type DataLoader from "dataloader";
import type { UserRecord } from "./domain/records.ts";
import { findUsersByIds, type IdentityClient } from "./store/user-store.ts";

export interface IdentityLoaders {
  user: DataLoader<string, UserRecord | null>;
}

/** Per-request loaders: one query per entity type however many references a response holds. */
export function createLoaders(db: IdentityClient): IdentityLoaders {
  return { user: keyedLoader(async (ids) => byId(await findUsersByIds(db, ids))) };
}
