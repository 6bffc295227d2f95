import type { BaseContext } from "@lotgraph/kit";
import type { AuditTrailService } from "./domain/audit/audit-trail.ts";
import type { ChangeFeed } from "./domain/changes/change-feed.ts";
import type { ExposureService } from "./domain/exposure/index.ts";
import type { RecallCaseService } from "./domain/recall/recall-cases.ts";
import type { WebhookService } from "./domain/webhooks/webhook-service.ts";
import type { TraceExports } from "./domain/exports/export-service.ts";
import type { TraceabilityService } from "./domain/traceability-service.ts";
import type { TraceabilityLoaders } from "./loaders.ts";

export interface Context extends BaseContext {
  traceability: TraceabilityService;
  /** How much of a source is in each lot, serial and customer downstream (decision 0023). */
  exposure: ExposureService;
  /** EPCIS and FSMA 204 exports of a trace. */
  exports: TraceExports;
  /** Every subgraph's audit log, for auditors. */
  audit: AuditTrailService;
  /** Every service's change history, for integrators. */
  changes: ChangeFeed;
  /** Webhooks and their deliveries. */
  webhooks: WebhookService;
  /** Recall cases and mock-recall drills. */
  recalls: RecallCaseService;
  loaders: TraceabilityLoaders;
}
