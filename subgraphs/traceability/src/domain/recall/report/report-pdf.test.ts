import { pdfPages } from "@lotgraph/tests/support/pdf";
import { describe, expect, it } from "vitest";
import { drillFacts, largeFacts, recallFacts } from "./report-fixtures.ts";
import { recallReport } from "./report-model.ts";
import { PDF_LOT_LIMIT, reportPdf } from "./report-pdf.ts";

const text = (pages: string[]) => pages.join("\n");

describe("reportPdf", () => {
  it("is a one-page PDF of a small drill with its number, recovery, customers and lots", async () => {
    const pdf = await reportPdf(recallReport(drillFacts()));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = await pdfPages(pdf);
    expect(pages).toHaveLength(1);
    const all = text(pages);
    for (const expected of [
      "DRILL-2026-0001",
      "Mock-recall drill report",
      "annual mock recall",
      "Supplier lot code SL-1",
      "2026-03-04 08:00:00 UTC by Rhea Recall",
      "1,234 ms (1.23 s)",
      "100.00 %",
      "Corner Shop, Ltd",
      // Helvetica has no Ł or ź: shown as their base letters, not as other glyphs.
      "Café Lódz",
      "Wheat flour T55",
      "30.0000 %",
      "Page 1 of 1",
      "generated 2026-03-04 09:05:01 UTC by Ada Auditor",
      "plant-1",
    ])
      expect(all).toContain(expected);
    // A drill tells nobody: no notices section.
    expect(all).not.toContain("Customer notices");
  });

  it("shows a real recall's containment, notices and open actions", async () => {
    const all = text(await pdfPages(await reportPdf(recallReport(recallFacts()))));
    for (const expected of [
      "RC-2026-0003",
      "Recall report",
      "1 supplier hold placed by quality",
      "1 of 2 notified, 1 acknowledged",
      "Customer notices",
      "2026-03-04 08:45 UTC",
      "Notify customer",
      "Recover stock on hand",
    ])
      expect(all).toContain(expected);
  });

  it("says a recovery over several units is the lowest unit's, and an unbalanced ledger", async () => {
    const facts = drillFacts();
    const kg = facts.answer.reconciliation.lines[0]!;
    facts.answer.reconciliation = {
      lines: [kg, { ...kg, uom: "ea", received: "10", consumed: "9", unaccounted: "1", percentAccountedFor: 90 }],
      percentAccountedFor: 90,
      balanced: false,
    };
    const all = text(await pdfPages(await reportPdf(recallReport(facts))));
    expect(all).toContain("90.00 %");
    expect(all).toContain("the lowest of its units'; the ledger does not balance");
  });

  it(`lists the ${PDF_LOT_LIMIT} lots with the most source of a 10,000-lot case, repeating table headers`, async () => {
    const pages = await pdfPages(await reportPdf(recallReport(largeFacts(10_000))));
    // Page 1 holds the header and the first lots; about 40 rows fit on each page after it.
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(pages.length).toBeLessThanOrEqual(8);
    const all = text(pages);
    expect(all).toContain(
      `The ${PDF_LOT_LIMIT} lots holding the most source material, of 10,000: 9,800 more are in the CSV report (DRILL-2026-0001-report.csv)`,
    );
    expect(all).toContain("LOT-00000");
    expect(all).toContain(`LOT-${String(PDF_LOT_LIMIT - 1).padStart(5, "0")}`);
    expect(all).not.toContain(`LOT-${String(PDF_LOT_LIMIT).padStart(5, "0")}`);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
    for (const page of pages.slice(1, -1)) {
      expect(page).toContain("Exposure by lot (continued)");
      expect(page).toContain("Quantity of");
    }
  });
});
