/**
 * A recall's reconciliation (the `RecallReconciliation` type): for the source lots, received =
 * consumed + on hand + shipped + scrapped ± adjustments, per unit, from inventory's ledger now.
 */
export interface ReconciliationView {
  lines: ReconciliationLineView[];
  /** located / received × 100; with several units the lowest line's (100 when nothing was received). */
  percentAccountedFor: number;
  /** True when every line's `unaccounted` is zero. */
  balanced: boolean;
}

export interface ReconciliationLineView {
  uom: string;
  received: string;
  consumed: string;
  onHand: string;
  shipped: string;
  scrapped: string;
  adjustments: string;
  unaccounted: string;
  percentAccountedFor: number;
}
