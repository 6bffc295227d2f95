import { keyedLoader } from "@lotgraph/kit";
import type DataLoader from "dataloader";
import type { GenealogyStore } from "./genealogy/port/genealogy-store.ts";

export interface TraceabilityLoaders {
  parents: DataLoader<string, string[]>;
  children: DataLoader<string, string[]>;
}

export function createLoaders(store: GenealogyStore): TraceabilityLoaders {
  const none: string[] = [];
  return {
    parents: keyedLoader((ids) => store.parentsOf(ids), none),
    children: keyedLoader((ids) => store.childrenOf(ids), none),
  };
}
