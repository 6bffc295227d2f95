import { requireAuthenticated, type Principal } from "@lotgraph/kit";
import type { QualityLoaders } from "../loaders.ts";
import type { DecisionRecord, HoldRecord, QualityStatus, RunGateView } from "./records.ts";

/**
 * A lot's quality status, derived (never stored): an active hold → ON_HOLD; otherwise the latest
 * decision on the lot: FAIL → REJECTED, PASS → PASSED; otherwise (none, or a HOLD since released)
 * PENDING.
 */
export function qualityStatusOf(holds: readonly HoldRecord[], decisions: readonly DecisionRecord[]): QualityStatus {
  if (holds.some((hold) => hold.releasedAt === null)) return "ON_HOLD";
  const latest = decisions.at(-1);
  if (latest?.result === "FAIL") return "REJECTED";
  if (latest?.result === "PASS") return "PASSED";
  return "PENDING";
}

/** What quality adds to lots and runs. */
export class LotQualityService {
  async qualityStatus(caller: Principal | null, lotId: string, loaders: QualityLoaders): Promise<QualityStatus> {
    requireAuthenticated(caller);
    const [holds, decisions] = await Promise.all([loaders.holdsByLot.load(lotId), loaders.decisionsByLot.load(lotId)]);
    return qualityStatusOf(holds, decisions);
  }

  async holds(caller: Principal | null, lotId: string, loaders: QualityLoaders): Promise<HoldRecord[]> {
    requireAuthenticated(caller);
    return loaders.holdsByLot.load(lotId);
  }

  async decisions(caller: Principal | null, lotId: string, loaders: QualityLoaders): Promise<DecisionRecord[]> {
    requireAuthenticated(caller);
    return loaders.decisionsByLot.load(lotId);
  }

  /** A run's standing at each gate it has decisions at, in the order of their first decision. */
  async runGates(caller: Principal | null, runId: string, loaders: QualityLoaders): Promise<RunGateView[]> {
    requireAuthenticated(caller);
    const latest = new Map<string, DecisionRecord>();
    for (const decision of await loaders.decisionsByRun.load(runId)) latest.set(decision.gateId, decision);
    return [...latest.values()].map((decision) => ({
      gateId: decision.gateId,
      passed: decision.result === "PASS",
      lastDecision: decision,
    }));
  }
}
