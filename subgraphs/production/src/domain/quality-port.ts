import { DomainError } from "@lotgraph/kit";

/**
 * What production needs from quality (DESIGN.md §4.5): whether a run may pass its gates, which of
 * a routing's gates exist and block, and where to report holds a new output was born under.
 * Implemented over quality's internal operations (store/quality-client.ts). A transport failure
 * is a plain Error: the gates' state is then unknown and the run does not move.
 */
export interface QualityPort {
  /** The run's standing at each gate, in the order given. */
  gateStatuses(runId: string, gateIds: readonly string[], requestId: string): Promise<GateStatus[]>;
  /** The gates among `gateIds` that exist, with whether each blocks and is still active. */
  gates(gateIds: readonly string[], requestId: string): Promise<Map<string, GateFacts>>;
  /**
   * Records the holds inventory placed on a new output as quality Holds. Idempotent; quality
   * also learns them from inventory's events, so a failure here loses nothing.
   */
  recordAutomaticHolds(lotId: string, holds: readonly AutomaticHold[], requestId: string): Promise<void>;
}

export interface GateFacts {
  name: string;
  blocking: boolean;
  /** False once quality deactivated it: new plans may not use it (it still blocks runs planned on it). */
  active: boolean;
}

export type QcResult = "PASS" | "HOLD" | "FAIL";

export interface GateStatus {
  gateId: string;
  blocking: boolean;
  passed: boolean;
  lastResult: QcResult | null;
}

/** A hold inventory placed on a lot as it was created (see inventory-port.ts). */
export interface AutomaticHold {
  holdId: string;
  causeLotId: string | null;
  reason: string;
}

/** A phase a run is leaving and the gate it names. */
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
