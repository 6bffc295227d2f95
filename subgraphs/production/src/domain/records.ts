export type RunStatus = "IN_PROGRESS" | "COMPLETED" | "CANCELLED";

export interface RunRecord {
  id: string;
  status: RunStatus;
  startedAt: Date;
  endedAt: Date | null;
}

/** A lot owned by inventory, referenced by key. */
export interface LotRef {
  id: string;
}
