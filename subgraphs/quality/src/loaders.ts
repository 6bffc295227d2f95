import { keyedLoader } from "@lotgraph/kit";
import type DataLoader from "dataloader";
import type { QualityStatus } from "./domain/records.ts";
import { findQualityStatuses, type QualityClient } from "./store/lot-quality-store.ts";

export interface QualityLoaders {
  qualityStatus: DataLoader<string, QualityStatus | null>;
}

export function createLoaders(db: QualityClient): QualityLoaders {
  return { qualityStatus: keyedLoader((lotIds) => findQualityStatuses(db, lotIds)) };
}
