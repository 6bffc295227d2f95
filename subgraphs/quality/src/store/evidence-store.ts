import type { DecisionRecord, HoldRecord, SupplierHoldRecord } from "../domain/records.ts";
import { findDecisions, findDecisionsByLots, findDecisionsByRuns } from "./decision-store.ts";
import { type Reader } from "./db.ts";
import { findHolds, findHoldsByLots, findHoldsByPlacements } from "./hold-store.ts";
import { findSupplierHolds } from "./supplier-hold-store.ts";

/** What a recall case's evidence asks quality about. */
export interface EvidenceRequest {
  lotIds: readonly string[];
  runIds: readonly string[];
  holdIds: readonly string[];
  supplierHoldIds: readonly string[];
}

export interface EvidenceRecords {
  decisions: DecisionRecord[];
  holds: HoldRecord[];
  supplierHolds: SupplierHoldRecord[];
}

/**
 * Quality's records behind a set of lots, oldest first: every hold on the lots, the holds named
 * and the rest of their placements; every decision on the lots or the runs, or that placed one
 * of those holds; the supplier holds named and those any of the holds belong to.
 */
export async function readEvidence(db: Reader, request: EvidenceRequest): Promise<EvidenceRecords> {
  const [onLots, named] = await Promise.all([findHoldsByLots(db, request.lotIds), findHolds(db, request.holdIds)]);
  const placements = await findHoldsByPlacements(db, [...new Set(named.map((hold) => hold.placementId))]);
  const holds = byId([...[...onLots.values()].flat(), ...named, ...[...placements.values()].flat()]);
  const [byLot, byRun, byHold, supplierHolds] = await Promise.all([
    findDecisionsByLots(db, request.lotIds),
    findDecisionsByRuns(db, request.runIds),
    findDecisions(
      db,
      holds.flatMap((hold) => (hold.decisionId ? [hold.decisionId] : [])),
    ),
    findSupplierHolds(db, [
      ...new Set([...request.supplierHoldIds, ...holds.flatMap((hold) => hold.supplierHoldId ?? [])]),
    ]),
  ]);
  return {
    decisions: byId([...[...byLot.values()].flat(), ...[...byRun.values()].flat(), ...byHold]).sort(
      (a, b) => a.decidedAt.getTime() - b.decidedAt.getTime() || compare(a.id, b.id),
    ),
    holds: holds.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || compare(a.id, b.id)),
    supplierHolds: supplierHolds.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || compare(a.id, b.id)),
  };
}

function byId<T extends { id: string }>(records: readonly T[]): T[] {
  return [...new Map(records.map((record) => [record.id, record])).values()];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
