import { isUuid, requireInternal, type Principal } from "@lotgraph/kit";
import * as flowStore from "../store/flow-store.ts";
import { findRunPhases, findRuns, runsInProgressThroughGate } from "../store/run-store.ts";
import { findPhases, findWorkOrders } from "../store/work-order-store.ts";
import type { ProductionDeps } from "./common.ts";
import type { PhaseRecord, RunRecord } from "./records.ts";

/** What quality needs to judge a decision on a run. */
export interface RunGateContext {
  runId: string;
  status: RunRecord["status"];
  /** The highest phase the run has entered. */
  reachedPhase: number;
  lineId: string | null;
  phases: PhaseRecord[];
  outputRecorderIds: string[];
}

/**
 * Production's facts quality asks for (service token only): a run's routing and progress (a
 * decision at a gate the run has not reached is premature), who recorded outputs (segregation of
 * duties), and what a line output since its last good check (line holds).
 */
export class QualityFactsService {
  constructor(private readonly deps: ProductionDeps) {}

  async runGateContext(caller: Principal | null, runId: string): Promise<RunGateContext | null> {
    requireInternal(caller);
    if (!isUuid(runId)) return null;
    const db = this.deps.db.client;
    const [run] = await findRuns(db, [runId]);
    if (!run) return null;
    const [[workOrder], phases, entered, outputs] = await Promise.all([
      findWorkOrders(db, [run.workOrderId]),
      findPhases(db, [run.workOrderId]),
      findRunPhases(db, [run.id]),
      flowStore.findOutputsByRuns(db, [run.id]),
    ]);
    return {
      runId: run.id,
      status: run.status,
      // Completing a run passes every phase still ahead (their gates let it): it reached them all.
      reachedPhase:
        run.status === "COMPLETED"
          ? Math.max(0, ...(phases.get(run.workOrderId) ?? []).map((phase) => phase.sequence))
          : Math.max(0, ...(entered.get(run.id) ?? []).map((phase) => phase.sequence)),
      lineId: workOrder?.lineId ?? null,
      phases: phases.get(run.workOrderId) ?? [],
      outputRecorderIds: [...new Set((outputs.get(run.id) ?? []).map((output) => output.operatorId))],
    };
  }

  async lotOutputContext(
    caller: Principal | null,
    lotId: string,
  ): Promise<{ runId: string; lineId: string | null; recorderId: string } | null> {
    requireInternal(caller);
    if (!isUuid(lotId)) return null;
    const db = this.deps.db.client;
    const output = await flowStore.findOutputByLot(db, lotId);
    if (!output) return null;
    const [run] = await findRuns(db, [output.runId]);
    const [workOrder] = run ? await findWorkOrders(db, [run.workOrderId]) : [];
    return { runId: output.runId, lineId: workOrder?.lineId ?? null, recorderId: output.operatorId };
  }

  async lineOutputLots(caller: Principal | null, lineId: string, since: Date | null): Promise<string[]> {
    requireInternal(caller);
    if (!isUuid(lineId)) return [];
    return flowStore.outputLotsOfLine(this.deps.db.client, lineId, since);
  }

  /**
   * The runs in progress whose routing passes `gateId`: quality refuses to loosen a gate under
   * them (a run must be judged by the gate it started with).
   */
  async gateRunsInProgress(caller: Principal | null, gateId: string): Promise<string[]> {
    requireInternal(caller);
    if (!isUuid(gateId)) return [];
    return runsInProgressThroughGate(this.deps.db.client, gateId);
  }
}
