import DataLoader from "dataloader";
import type { QualityStatus } from "./domain/records.ts";
import { findQualityStatuses, type QualityClient } from "./store/lot-quality-store.ts";

export interface QualityLoaders {
  qualityStatus: DataLoader<string, QualityStatus | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createLoaders(db: QualityClient): QualityLoaders {
  return {
    qualityStatus: new DataLoader(async (lotIds) => {
      const statuses = await findQualityStatuses(
        db,
        lotIds.filter((id) => UUID.test(id)),
      );
      return lotIds.map((id) => statuses.get(id) ?? null);
    }),
  };
}
