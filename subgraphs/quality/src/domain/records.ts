export type QualityStatus = "PENDING" | "PASSED" | "ON_HOLD" | "REJECTED";

/** A lot owned by inventory, referenced by key. */
export interface LotRef {
  id: string;
}
