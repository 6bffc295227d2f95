import DataLoader from "dataloader";
import type { GenealogyStore } from "./store/genealogy-store.ts";

export interface TraceabilityLoaders {
  parents: DataLoader<string, string[]>;
  children: DataLoader<string, string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createLoaders(store: GenealogyStore): TraceabilityLoaders {
  return {
    parents: new DataLoader(async (ids) => {
      const found = await store.parentsOf(ids.filter((id) => UUID.test(id)));
      return ids.map((id) => found.get(id) ?? []);
    }),
    children: new DataLoader(async (ids) => {
      const found = await store.childrenOf(ids.filter((id) => UUID.test(id)));
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
