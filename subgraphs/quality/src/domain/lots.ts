import { requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { QualityLoaders } from "../loaders.ts";
import type { DecisionRecord, HoldRecord, LotQualityFacts, QualityStatus, RunGateView } from "./records.ts";

/**
 * A lot's quality status, derived (never stored): an active hold → ON_HOLD; otherwise the latest
 * decision on the lot: FAIL → REJECTED, PASS → PASSED; otherwise (none, or a HOLD since released)
 * PENDING.
 */
export function qualityStatusOf({ activeHold, latestResult }: LotQualityFacts): QualityStatus {
  if (activeHold) return "ON_HOLD";
  if (latestResult === "FAIL") return "REJECTED";
  if (latestResult === "PASS") return "PASSED";
  return "PENDING";
}

/** What a lot's and a run's quality reads batch through: the request's loaders by lot and by run. */
export type LotQualityLoaders = Pick<
  QualityLoaders,
  "qualityFacts" | "holdsByLot" | "decisionsByLot" | "decisionsByRun"
>;

/**
 * What quality adds to lots and runs. Built per request (see quality-services.ts), so reads batch
 * through that request's loaders.
 */
export class LotQualityService {
  constructor(private readonly loaders: LotQualityLoaders) {}

  /**
   * `inventoryStatus` is the lot's status in inventory when the query plan brought it: a lot
   * inventory holds is ON_HOLD here too, even before quality has recorded the Hold (a receipt
   * under a held supplier lot code, recorded from inventory's event a moment later).
   */
  async qualityStatus(caller: Principal | null, lotId: string, inventoryStatus: string | null): Promise<QualityStatus> {
    requireAuthenticated(caller);
    // One lean query for the facts, not the lot's holds and decisions with their measurements:
    // floor displays ask for qualityStatus on every live update.
    const facts = await this.loaders.qualityFacts.load(lotId);
    return qualityStatusOf({ ...facts, activeHold: facts.activeHold || inventoryStatus === "ON_HOLD" });
  }

  async holds(caller: Principal | null, lotId: string): Promise<HoldRecord[]> {
    requireAuthenticated(caller);
    return this.loaders.holdsByLot.load(lotId);
  }

  async decisions(caller: Principal | null, lotId: string): Promise<DecisionRecord[]> {
    requireAuthenticated(caller);
    return this.loaders.decisionsByLot.load(lotId);
  }

  /** A run's standing at each gate it has decisions at, in the order of their first decision. */
  async runGates(caller: Principal | null, runId: string): Promise<RunGateView[]> {
    requireAuthenticated(caller);
    const latest = new Map<string, DecisionRecord>();
    for (const decision of await this.loaders.decisionsByRun.load(runId)) latest.set(decision.gateId, decision);
    return [...latest.values()].map((decision) => ({
      gateId: decision.gateId,
      passed: decision.result === "PASS",
      lastDecision: decision,
    }));
  }
}
