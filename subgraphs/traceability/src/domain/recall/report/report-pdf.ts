import { COLOR, CONTENT_WIDTH, FONT, ReportPages, type Column } from "./pdf-layout.ts";
import {
  alignedQuantities,
  counted,
  formatCount,
  formatDuration,
  formatInstant,
  formatPercent,
  formatQuantity,
} from "./report-format.ts";
import { topLotsBySource, type RecallReport } from "./report-model.ts";
import { printable } from "./pdf-text.ts";

/**
 * How many lots the PDF lists: the ones holding the most source. A recall through a blending
 * step reaches thousands of lots; a few pages of the largest are what a person reads, and the
 * CSV, which a spreadsheet sorts and filters, has every one.
 */
export const PDF_LOT_LIMIT = 200;

const KIND_TITLE = { DRILL: "Mock-recall drill report", RECALL: "Recall report" } as const;

/** The report as an A4 PDF: header, summary, then one section per table. */
export function reportPdf(report: RecallReport): Promise<Buffer> {
  const title = KIND_TITLE[report.kind];
  const pages = new ReportPages({
    title: `${report.number} ${title}`,
    subject: `${title}: ${report.reason}`,
    createdAt: report.generated.at,
  });
  header(pages, report, title);
  summary(pages, report);
  reconciliation(pages, report);
  customers(pages, report);
  lots(pages, report);
  if (report.kind === "RECALL") notices(pages, report);
  actions(pages, report);
  const { at, byName, install } = report.generated;
  return pages.finish({
    title: `${report.number} · ${title}`,
    status: report.status === "CLOSED" ? "Closed" : "Open",
    footer: `${report.number} · ${title} · generated ${formatInstant(at)} by ${byName} · Lotgraph on ${install}`,
  });
}

function header(pages: ReportPages, report: RecallReport, title: string): void {
  const { doc } = pages;
  const accent = report.kind === "DRILL" ? COLOR.drill : COLOR.recall;
  const badge = report.kind === "DRILL" ? "MOCK RECALL · DRILL" : "RECALL";
  doc.font(FONT.bold).fontSize(8);
  const badgeWidth = doc.widthOfString(badge) + 14;
  doc.roundedRect(48, pages.y, badgeWidth, 15, 3).fill(accent);
  doc.fillColor("#ffffff").text(badge, 55, pages.y + 4, { lineBreak: false });
  const status = report.status === "CLOSED" ? "CLOSED" : "OPEN";
  doc
    .font(FONT.bold)
    .fontSize(8)
    .fillColor(report.status === "CLOSED" ? COLOR.muted : accent);
  doc.text(`STATUS: ${status}`, 48, pages.y + 4, { width: CONTENT_WIDTH, align: "right", lineBreak: false });
  pages.y += 24;
  doc.font(FONT.regular).fontSize(10).fillColor(COLOR.muted).text(title, 48, pages.y, { lineBreak: false });
  pages.y += 14;
  doc.font(FONT.bold).fontSize(22).fillColor(COLOR.text).text(printable(report.number), 48, pages.y, {
    lineBreak: false,
  });
  pages.y += 32;
  pages.rule(pages.y, COLOR.rule, 0.6);
  pages.y += 8;
  const { closed } = report;
  pages.keyValues([
    ["Reason", report.reason],
    [
      "Source",
      report.source.kind === "LOT" ? `Lot ${report.source.label}` : `Supplier lot code ${report.source.label}`,
    ],
    ["Opened", `${formatInstant(report.opened.at)} by ${report.opened.byName}`],
    ["Time to answer", `${formatDuration(report.answeredInMs)}: scope, exposure and reconciliation when opened`],
    ["Containment", containment(report)],
    ...(report.kind === "RECALL" ? [["Customers told", customersTold(report)] as [string, string]] : []),
    ["Closed", closed ? `${formatInstant(closed.at)} by ${closed.byName}: ${closed.reason}` : "Not closed"],
    ...(closed
      ? [
          [
            "Signature",
            closed.signature
              ? `${closed.signature.signerName}, "${closed.signature.meaning}", signed ${formatInstant(closed.signature.signedAt)}`
              : "None",
          ] as [string, string],
        ]
      : []),
  ]);
}

function containment(report: RecallReport): string {
  if (report.kind === "DRILL") return "None: a drill places no holds and tells no customer";
  const { state, lotHolds, supplierHolds } = report.containment;
  if (state === "PENDING") return "Holds requested from quality, not yet confirmed";
  const holds = [
    ...(lotHolds > 0 ? [counted(lotHolds, "lot hold")] : []),
    ...(supplierHolds > 0 ? [counted(supplierHolds, "supplier hold")] : []),
  ];
  return holds.length > 0 ? `${holds.join(" and ")} placed by quality` : "No holds placed";
}

function customersTold(report: RecallReport): string {
  const { customers, customersNotified, customersAcknowledged } = report.summary;
  return `${formatCount(customersNotified)} of ${formatCount(customers)} notified, ${formatCount(customersAcknowledged)} acknowledged`;
}

/** Six figures in tiles, recovery last and coloured by whether the ledger balances. */
function summary(pages: ReportPages, report: RecallReport): void {
  const { summary: s } = report;
  pages.heading("Summary", 70);
  const tiles: Array<[string, string, string?]> = [
    ["Lots affected", formatCount(s.lotsAffected)],
    ["Finished lots", formatCount(s.finishedLots)],
    ["Lots on hand", formatCount(s.onHandLots)],
    ["Shipments", formatCount(s.shipments)],
    ["Customers", formatCount(s.customers)],
    ["Recovery", formatPercent(s.recoveryPercent), s.balanced ? COLOR.good : COLOR.warn],
  ];
  const { doc } = pages;
  const gap = 8;
  const width = (CONTENT_WIDTH - gap * (tiles.length - 1)) / tiles.length;
  tiles.forEach(([label, value, color], i) => {
    const x = 48 + i * (width + gap);
    doc.roundedRect(x, pages.y, width, 46, 4).lineWidth(0.6).strokeColor(COLOR.rule).stroke();
    doc
      .font(FONT.bold)
      .fontSize(15)
      .fillColor(color ?? COLOR.text);
    doc.text(value, x, pages.y + 9, { width, align: "center", lineBreak: false });
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOR.muted);
    doc.text(label, x, pages.y + 30, { width, align: "center", lineBreak: false });
  });
  pages.y += 54;
  const source = s.sourceQuantity.map((q) => `${formatQuantity(q.quantity)} ${q.uom}`).join(" + ") || "nothing yet";
  const later =
    s.lotsFoundLater > 0 ? ` ${counted(s.lotsFoundLater, "lot was", "lots were")} found after the case opened.` : "";
  pages.paragraph(
    `Source material: ${source}. Recovery is the share of the source the stock ledger accounts for ` +
      `(consumed, on hand, shipped or scrapped)${report.reconciliation.length > 1 ? ", the lowest of its units'" : ""}; ` +
      `the ledger ${s.balanced ? "balances" : "does not balance"}.${later}`,
    { size: 8.5, color: COLOR.muted },
  );
}

function reconciliation(pages: ReportPages, report: RecallReport): void {
  pages.heading("Reconciliation of the source lots");
  if (report.reconciliation.length === 0) return pages.paragraph("Nothing received under this source yet.");
  const lines = report.reconciliation;
  const figures = (pick: (l: (typeof lines)[number]) => string) => alignedQuantities(lines.map(pick));
  const columns = [
    figures((l) => l.received),
    figures((l) => l.consumed),
    figures((l) => l.onHand),
    figures((l) => l.shipped),
    figures((l) => l.scrapped),
    figures((l) => l.adjustments),
    figures((l) => l.unaccounted),
  ];
  const right = (header: string, weight = 10): Column => ({ header, weight, align: "right" });
  pages.table(
    "Reconciliation",
    [
      { header: "Unit", weight: 6 },
      right("Received"),
      right("Consumed"),
      right("On hand"),
      right("Shipped"),
      right("Scrapped"),
      right("Adjustments", 11),
      right("Unaccounted", 11),
      right("Accounted for", 12),
    ],
    lines.map((line, i) => [line.uom, ...columns.map((column) => column[i]!), formatPercent(line.percentAccountedFor)]),
  );
}

function customers(pages: ReportPages, report: RecallReport): void {
  pages.heading("Exposure by customer");
  if (report.customers.length === 0) return pages.paragraph("No shipment of an affected lot has left the plant.");
  const quantities = alignedQuantities(report.customers.map((c) => c.quantityOfSource));
  pages.table(
    "Exposure by customer",
    [
      { header: "Customer", weight: 26 },
      { header: "Code", weight: 10 },
      { header: "Shipments", weight: 10, align: "right" },
      { header: "References", weight: 26 },
      { header: "Quantity of source", weight: 16, align: "right" },
      { header: "Unit", weight: 7 },
    ],
    report.customers.map((c, i) => [
      c.name,
      c.code,
      formatCount(c.shipments.length),
      c.shipments.map((s) => s.reference).join(", "),
      quantities[i]!,
      c.uom,
    ]),
  );
}

function lots(pages: ReportPages, report: RecallReport): void {
  pages.heading("Exposure by lot", 90);
  const shown = topLotsBySource(report.lots, PDF_LOT_LIMIT);
  const more = report.lots.length - shown.length;
  pages.paragraph(
    more > 0
      ? `The ${formatCount(shown.length)} lots holding the most source material, of ${formatCount(report.lots.length)}: ` +
          `${formatCount(more)} more are in the CSV report (${report.number}-report.csv).`
      : `Every lot holding source material, the most first. Share of source: how much of the lot is source material.`,
    { size: 8.5, color: COLOR.muted },
  );
  const quantities = alignedQuantities(shown.map((l) => l.quantityOfSource));
  const made = alignedQuantities(shown.map((l) => l.quantity));
  const anyLater = shown.some((l) => l.foundLater);
  pages.table(
    "Exposure by lot",
    [
      { header: "Lot", weight: 17 },
      { header: "Material", weight: 30 },
      { header: "Depth", weight: 7, align: "right" },
      { header: "Share of source", weight: 12, align: "right" },
      { header: "Quantity of source", weight: 14, align: "right" },
      { header: "Lot quantity", weight: 13, align: "right" },
      { header: "Unit", weight: 7 },
    ],
    shown.map((l, i) => [
      l.foundLater ? `${l.code} *` : l.code,
      [l.materialName, l.materialSku && l.materialSku !== l.materialName ? `(${l.materialSku})` : ""]
        .filter(Boolean)
        .join(" "),
      String(l.depth),
      `${l.fractionPercent} %`,
      quantities[i]!,
      made[i]!,
      l.uom,
    ]),
  );
  if (anyLater)
    pages.paragraph("* found after the case opened: made or received since.", { size: 8, color: COLOR.muted });
}

function notices(pages: ReportPages, report: RecallReport): void {
  pages.heading("Customer notices");
  if (report.notices.length === 0) return pages.paragraph("No customer has been recorded as told yet.");
  pages.table(
    "Customer notices",
    [
      { header: "Customer", weight: 22 },
      { header: "Notified", weight: 19 },
      { header: "Acknowledged", weight: 19 },
      { header: "Note", weight: 26 },
      { header: "Recorded by", weight: 14 },
    ],
    report.notices.map((n) => [
      n.customerName,
      formatInstant(n.notifiedAt, "minute"),
      n.acknowledgedAt ? formatInstant(n.acknowledgedAt, "minute") : "not yet",
      n.note,
      n.recordedByName,
    ]),
  );
}

const ACTION_TITLE = {
  NOTIFY_CUSTOMER: "Notify customer",
  AWAIT_ACKNOWLEDGEMENT: "Await acknowledgement",
  RECOVER_ON_HAND: "Recover stock on hand",
  RECONCILE: "Reconcile",
} as const;

function actions(pages: ReportPages, report: RecallReport): void {
  pages.heading("Open actions");
  if (report.actions.length === 0)
    return pages.paragraph(report.status === "CLOSED" ? "None: the case is closed." : "None.");
  pages.table(
    "Open actions",
    [
      { header: "Action", weight: 20 },
      { header: "Concerns", weight: 20 },
      { header: "What to do", weight: 60 },
    ],
    report.actions.map((a) => [ACTION_TITLE[a.kind], a.subject, a.description]),
  );
}
