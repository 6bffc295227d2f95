/**
 * What a lot may wait for before it is released for use (positive release). Each is a string in
 * `lot.release_pending`; a lot waiting for anything is QUARANTINE (see `statusFor`).
 */

/** Incoming inspection: a material with inspectionRequired is received waiting for a PASS. */
export const INSPECTION = "inspection";

/** The lot's latest decision is FAIL: a later PASS or a signed USE_AS_IS disposition releases it. */
export const REJECTED = "rejected";

/** A blocking gate of the run that made the lot, without a PASS for that run. */
export const gateRequirement = (gateId: string): string => `gate:${gateId}`;

/** What a PASS at `gateId` on the lot itself settles: inspection, a rejection, that gate. */
export const settledByLotPass = (gateId: string): string[] => [INSPECTION, REJECTED, gateRequirement(gateId)];

/** The requirements of `pending` that are gates, as gate ids. */
export function pendingGateIds(pending: readonly string[]): string[] {
  return pending.filter((item) => item.startsWith("gate:")).map((item) => item.slice("gate:".length));
}

/** A requirement as the API shows it: its kind and, for a gate, which one. */
export interface RequirementView {
  kind: "INSPECTION" | "REJECTED" | "GATE";
  gateId: string | null;
}

export function describeRequirement(item: string): RequirementView {
  if (item === INSPECTION) return { kind: "INSPECTION", gateId: null };
  if (item === REJECTED) return { kind: "REJECTED", gateId: null };
  return { kind: "GATE", gateId: pendingGateIds([item])[0] ?? null };
}
