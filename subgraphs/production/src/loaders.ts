import DataLoader from "dataloader";
import type { RunRecord } from "./domain/records.ts";
import { findProducingRuns, findRuns, type ProductionClient } from "./store/run-store.ts";

export interface ProductionLoaders {
  run: DataLoader<string, RunRecord | null>;
  /** lot id → the id of the run that produced it, or null */
  producingRunId: DataLoader<string, string | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createLoaders(db: ProductionClient): ProductionLoaders {
  return {
    run: new DataLoader(async (ids) => {
      const rows = await findRuns(
        db,
        ids.filter((id) => UUID.test(id)),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    producingRunId: new DataLoader(async (lotIds) => {
      const runs = await findProducingRuns(
        db,
        lotIds.filter((id) => UUID.test(id)),
      );
      return lotIds.map((id) => runs.get(id) ?? null);
    }),
  };
}
