import { DomainError } from "@lotgraph/kit";

/**
 * What production needs from quality: whether a run may pass a gate (DESIGN.md §4.5).
 * Implemented over quality's internal `gateStatus` query (store/quality-client.ts). A transport
 * failure is a plain Error: the gate's state is then unknown and the run does not move.
 */
export interface QualityPort {
  gateStatus(runId: string, gateId: string, requestId: string): Promise<GateStatus>;
}

export type QcResult = "PASS" | "HOLD" | "FAIL";

export interface GateStatus {
  gateId: string;
  blocking: boolean;
  passed: boolean;
  lastResult: QcResult | null;
}

/** The phase a run is leaving and the gate it names. */
export interface GatedPhase {
  runId: string;
  sequence: number;
  name: string;
  gateId: string;
}

/** Invariant 5: a blocking gate without PASS stops the run from leaving its phase. */
export function requireGatePassed(phase: GatedPhase, status: GateStatus): void {
  if (!status.blocking || status.passed) return;
  const outcome = status.lastResult ? `its last decision is ${status.lastResult}` : "it has no decision yet";
  throw new DomainError(
    "GATE_BLOCKED",
    `phase ${phase.sequence} (${phase.name}) ends at a blocking quality gate without PASS: ${outcome}`,
    { runId: phase.runId, phase: phase.sequence, gateId: phase.gateId, lastResult: status.lastResult },
  );
}
