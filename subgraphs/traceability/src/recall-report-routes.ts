import { hostname } from "node:os";
import { DomainError, type Logger, type SubgraphDeps, type TokenService } from "@lotgraph/kit";
import type { TraceabilityClient } from "./database.ts";
import type { RecallCaseService } from "./domain/recall/recall-cases.ts";
import { RecallReports } from "./domain/recall/report/recall-reports.ts";
import { downloadRoute } from "./export-routes.ts";
import { SqlReportNames } from "./facts/sql-report-names.ts";
import { inventoryLotFacts } from "./inventory-facts.ts";

/** The prefix the routes of `serve` match; the case's `reportPdfUrl` and `reportCsvUrl` are under it. */
export const RECALL_REPORT_PATH = "/exports/recall-cases/*";

const REPORT = /^\/exports\/recall-cases\/([^/]+)\/report\.(pdf|csv)$/;
const PDF_CONTENT_TYPE = "application/pdf";

/**
 * `GET /exports/recall-cases/{id}/report.pdf` and `…/report.csv`: a recall case's or drill's
 * report (MANAGER or AUDITOR, as `recallCase`). An unknown case, a malformed id or another file
 * name under the prefix is a 404.
 */
export function recallReportRoute(deps: { reports: RecallReports; tokens: TokenService; logger: Logger }) {
  return downloadRoute("recall report", deps, async (principal, _query, path) => {
    const [, caseId, format] = REPORT.exec(path) ?? [];
    if (!caseId || (format !== "pdf" && format !== "csv"))
      throw new DomainError("NOT_FOUND", "no such export: use /exports/recall-cases/{id}/report.pdf or .csv");
    // Not decoded: an id is a UUID, and anything with an escape in it is no case (404, not a 500 on "%zz").
    const file = await deps.reports.file(principal, caseId, format);
    return format === "pdf" ? { ...file, contentType: PDF_CONTENT_TYPE } : file;
  });
}

/** The report routes of the subgraph, with the reports they serve (for `routes` in server.ts). */
export function recallReportRoutes(
  deps: Pick<SubgraphDeps, "tokens" | "logger" | "peerUrl">,
  sources: { recalls: RecallCaseService; db: TraceabilityClient },
) {
  const reports = new RecallReports({
    cases: sources.recalls,
    names: new SqlReportNames(sources.db, inventoryLotFacts(deps)),
    // The host's name tells one plant's reports from another's when an auditor collects them.
    install: hostname(),
  });
  return { [RECALL_REPORT_PATH]: recallReportRoute({ reports, tokens: deps.tokens, logger: deps.logger }) };
}
