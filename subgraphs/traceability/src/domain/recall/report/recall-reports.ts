import { notFound, type Principal } from "@lotgraph/kit";
import type { RecallCaseService } from "../recall-cases.ts";
import { reportCsv } from "./report-csv.ts";
import { namesNeeded, recallReport, type RecallReport } from "./report-model.ts";
import type { ReportNameReads } from "./report-names.ts";
import { reportPdf } from "./report-pdf.ts";

export type ReportFormat = "pdf" | "csv";

export interface RecallReportDeps {
  cases: Pick<RecallCaseService, "recallCase" | "answerOf" | "notices" | "openActions">;
  names: ReportNameReads;
  /** Names this Lotgraph in the footer (several plants send their reports to one auditor). */
  install: string;
  now?: () => Date;
}

/**
 * The report of a recall case or drill (issue 21), for the people who may read the case
 * (MANAGER or AUDITOR, as `recallCase`): the case as it stands now, with names read in batches.
 */
export class RecallReports {
  constructor(private readonly deps: RecallReportDeps) {}

  async report(caller: Principal | null, caseId: string): Promise<RecallReport> {
    const { cases, names } = this.deps;
    const record = await cases.recallCase(caller, caseId);
    if (!record) throw notFound("RecallCase", caseId);
    const [answer, notices, actions] = await Promise.all([
      cases.answerOf(record),
      cases.notices(record),
      cases.openActions(record),
    ]);
    const facts = { record, answer, notices, actions };
    return recallReport({
      ...facts,
      names: await names.names(namesNeeded(facts)),
      generated: { at: this.deps.now?.() ?? new Date(), byName: caller?.name ?? "", install: this.deps.install },
    });
  }

  /** The file to download: `DRILL-2026-0001-report.pdf`, `RC-2026-0003-report.csv`. */
  async file(
    caller: Principal | null,
    caseId: string,
    format: ReportFormat,
  ): Promise<{ filename: string; body: string | Buffer }> {
    const report = await this.report(caller, caseId);
    return {
      filename: `${report.number}-report.${format}`,
      body: format === "pdf" ? await reportPdf(report) : reportCsv(report),
    };
  }
}
