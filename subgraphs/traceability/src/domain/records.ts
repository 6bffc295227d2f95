/** A lot owned by inventory, referenced by key. */
export interface LotRef {
  id: string;
}

/** Entity references traceability hands to the gateway (owned by inventory and production). */
export interface SerialRef {
  id: string;
}
export interface ShipmentRef {
  id: string;
}
export interface RunRef {
  id: string;
}

export interface LotNode {
  lotId: string;
  code: string | null;
  materialId: string;
  createdAt: Date;
}

export type Direction = "UPSTREAM" | "DOWNSTREAM";

/** `Trace` as the API shows it. */
export interface TraceView {
  root: LotRef;
  direction: Direction;
  maxDepth: number;
  nodes: Array<{ lot: LotRef; depth: number }>;
  edges: Array<{ parent: LotRef; child: LotRef; quantity: string | null; run: RunRef | null }>;
  truncated: boolean;
}

export interface RecallView {
  affectedLots: LotRef[];
  finishedLots: LotRef[];
  onHand: LotRef[];
  shipments: ShipmentRef[];
}

export interface AsBuiltView {
  serial: SerialRef | null;
  lot: LotRef | null;
  quantity: string | null;
  installedAt: Date | null;
  removedAt: Date | null;
  installationId: string | null;
  components: AsBuiltView[];
}

export interface MassBalanceLineView {
  uom: string;
  input: string;
  output: string;
  scrap: string | null;
  difference: string;
  percent: number | null;
  flagged: boolean;
}

export interface MassBalanceView {
  run: RunRef;
  tolerancePercent: number;
  lines: MassBalanceLineView[];
  flagged: boolean;
}

/** What inventory knows now about a lot (its internal `lotFacts` query). */
export interface CurrentLotFacts {
  id: string;
  materialKind: "RAW" | "INTERMEDIATE" | "FINISHED" | "PACKAGING";
  quantity: string;
  status: string;
  /** The lot's code and unit (absent from callers that do not ask for them). */
  code?: string;
  uom?: string;
}

/** Reads current lot facts from inventory, in as many calls as it needs. */
export interface LotFactsSource {
  lotFacts(ids: readonly string[]): Promise<CurrentLotFacts[]>;
}

/** One installation as the as-built walk needs it. */
export interface InstallationRow {
  installationId: string;
  parentSerialId: string;
  componentSerialId: string | null;
  componentLotId: string | null;
  quantity: string;
  installedAt: Date;
  removedAt: Date | null;
}

/** Sums of one run per unit of measure (decimal strings at the store's scale). */
export interface MassBalanceSums {
  uom: string;
  input: string;
  output: string;
  difference: string;
  percent: number | null;
}

/** The relational reads traceability's rules need beside the graph walks. */
export interface TraceReads {
  shipmentsOfLots(lotIds: readonly string[]): Promise<string[]>;
  /** serial id → its lot id, for the serials the genealogy knows. */
  lotsOfSerials(serialIds: readonly string[]): Promise<Map<string, string>>;
  /** Installations into any of `parentSerialIds` that were in place at `at`. */
  installationsAt(parentSerialIds: readonly string[], at: Date): Promise<InstallationRow[]>;
  massBalance(runId: string): Promise<MassBalanceSums[]>;
}

export type { AuditChainStatusView, AuditEntryView } from "./audit/audit-trail.ts";
export type { ChangeConnectionView } from "./changes/change-feed.ts";
export type { WebhookDeliveryView, WebhookView } from "./webhooks/webhook-service.ts";
export type { ExposureView } from "./exposure/exposure-views.ts";
export type { ReconciliationView } from "./recall/reconciliation-views.ts";
export type {
  RecallActionView,
  RecallCaseRecord,
  RecallNoticeRecord,
  RecallScopeView,
} from "./recall/recall-records.ts";
