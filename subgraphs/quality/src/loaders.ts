import { byId, keyedLoader } from "@lotgraph/kit";
import type DataLoader from "dataloader";
import type {
  DecisionRecord,
  GateRecord,
  HoldRecord,
  LotQualityFacts,
  NonConformanceRecord,
  SupplierHoldRecord,
} from "./domain/records.ts";
import type { QualityClient } from "./store/db.ts";
import * as decisionStore from "./store/decision-store.ts";
import { findGates } from "./store/gate-store.ts";
import * as holdStore from "./store/hold-store.ts";
import { findQualityFacts } from "./store/lot-store.ts";
import { findNonConformances } from "./store/non-conformance-store.ts";
import { findSupplierHolds } from "./store/supplier-hold-store.ts";

/** Per-request batching of every lookup by key, `__resolveReference` included. */
export interface QualityLoaders {
  gate: DataLoader<string, GateRecord | null>;
  decision: DataLoader<string, DecisionRecord | null>;
  hold: DataLoader<string, HoldRecord | null>;
  nonConformance: DataLoader<string, NonConformanceRecord | null>;
  holdsByLot: DataLoader<string, HoldRecord[]>;
  decisionsByLot: DataLoader<string, DecisionRecord[]>;
  decisionsByRun: DataLoader<string, DecisionRecord[]>;
  /** lot id → what its quality status is derived from */
  qualityFacts: DataLoader<string, LotQualityFacts>;
  /** root hold id → the holds propagated from it */
  propagated: DataLoader<string, HoldRecord[]>;
  supplierHold: DataLoader<string, SupplierHoldRecord | null>;
  /** placement id → its holds, oldest first */
  holdsOfPlacement: DataLoader<string, HoldRecord[]>;
}

export function createLoaders(db: QualityClient): QualityLoaders {
  return {
    gate: keyedLoader(async (ids) => byId(await findGates(db, ids))),
    decision: keyedLoader(async (ids) => byId(await decisionStore.findDecisions(db, ids))),
    hold: keyedLoader(async (ids) => byId(await holdStore.findHolds(db, ids))),
    nonConformance: keyedLoader(async (ids) => byId(await findNonConformances(db, ids))),
    holdsByLot: keyedLoader((ids) => holdStore.findHoldsByLots(db, ids), []),
    decisionsByLot: keyedLoader((ids) => decisionStore.findDecisionsByLots(db, ids), []),
    decisionsByRun: keyedLoader((ids) => decisionStore.findDecisionsByRuns(db, ids), []),
    qualityFacts: keyedLoader((ids) => findQualityFacts(db, ids), NO_FACTS),
    propagated: keyedLoader((ids) => holdStore.findPropagated(db, ids), []),
    supplierHold: keyedLoader(async (ids) => byId(await findSupplierHolds(db, ids))),
    holdsOfPlacement: keyedLoader((ids) => holdStore.findHoldsByPlacements(db, ids), []),
  };
}

/** A lot quality has never heard of: no holds, no decisions. */
const NO_FACTS: LotQualityFacts = Object.freeze({ activeHold: false, latestResult: null });
