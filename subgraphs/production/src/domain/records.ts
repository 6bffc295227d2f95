/** Production's records as the domain and resolvers see them (quantities as decimal strings). */
export type WorkOrderStatus = "PLANNED" | "RELEASED" | "IN_PROGRESS" | "COMPLETED" | "CANCELLED";
export type RunStatus = "IN_PROGRESS" | "COMPLETED" | "CANCELLED";

export interface LineRecord {
  id: string;
  code: string;
  name: string;
  /** False once deactivated: readable for history, refused by new work. */
  active: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PhaseRecord {
  sequence: number;
  name: string;
  gateId: string | null;
}

export interface BomComponentRecord {
  materialId: string;
  quantity: string;
}

export interface WorkOrderRecord {
  id: string;
  /** The sequence behind the human-readable number (see `formatWorkOrderNumber`). */
  number: number;
  productId: string;
  plannedQuantity: string;
  status: WorkOrderStatus;
  lineId: string | null;
  /** The ERP's own reference, unique among work orders when set. */
  externalRef: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RunRecord {
  id: string;
  workOrderId: string;
  status: RunStatus;
  /** Sequence of the current phase; null once the run has ended. */
  currentPhase: number | null;
  operatorId: string;
  operatorName: string;
  startedAt: Date;
  endedAt: Date | null;
  updatedAt: Date;
}

export interface RunPhaseRecord {
  runId: string;
  sequence: number;
  startedAt: Date;
  endedAt: Date | null;
}

export interface ConsumptionRecord {
  id: string;
  runId: string;
  lotId: string;
  materialId: string;
  quantity: string;
  movementId: string;
  operatorId: string;
  operatorName: string;
  consumedAt: Date;
}

export interface OutputRecord {
  id: string;
  runId: string;
  lotId: string;
  materialId: string;
  quantity: string;
  serialIds: string[];
  operatorId: string;
  operatorName: string;
  createdAt: Date;
}

export interface InstallationRecord {
  id: string;
  parentSerialId: string;
  componentSerialId: string | null;
  componentLotId: string | null;
  quantity: string;
  runId: string | null;
  installedAt: Date;
  installedBy: string;
  removedAt: Date | null;
  removedBy: string | null;
  removalReason: string | null;
}

/** A lot owned by inventory, referenced by key. */
export interface LotRef {
  id: string;
}

/** `WO-000042`: what planners say and print; the id stays the key. */
export function formatWorkOrderNumber(sequence: number): string {
  return `WO-${String(sequence).padStart(6, "0")}`;
}
