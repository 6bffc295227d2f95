import PDFDocument from "pdfkit";
import { printable } from "./pdf-text.ts";

/** A4 in points, and the report's frame: where content, the running header and the footer go. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN_X = 48;
const CONTENT_TOP = 64;
const FIRST_PAGE_TOP = 44;
const CONTENT_BOTTOM = PAGE.height - 62;
export const CONTENT_WIDTH = PAGE.width - 2 * MARGIN_X;

export const FONT = { regular: "Helvetica", bold: "Helvetica-Bold", italic: "Helvetica-Oblique" } as const;
export const COLOR = {
  text: "#1b1f24",
  muted: "#5b6470",
  rule: "#c9ced6",
  headerFill: "#e8ecf1",
  zebra: "#f6f7f9",
  drill: "#1f5fa8",
  recall: "#b3261e",
  good: "#1e7b34",
  warn: "#b3261e",
} as const;

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3.5;
const TABLE_FONT_SIZE = 8;

export interface Column {
  header: string;
  /** Share of the content width (the weights of a table need not add up to anything). */
  weight: number;
  align?: "left" | "right";
}

/** Running header and footer text, drawn on every page once the page count is known. */
export interface Frame {
  title: string;
  status: string;
  footer: string;
}

/**
 * Pages laid out top-down: the report asks for a heading, a paragraph or a table and this class
 * starts a new page when the next block does not fit, repeating a table's header row (and its
 * caption, marked "continued") on each page it runs onto. Every position is computed here, with
 * the document's own margins at zero, so pdfkit never breaks a page on its own.
 */
export class ReportPages {
  readonly doc: PDFKit.PDFDocument;
  y = FIRST_PAGE_TOP;
  /** The bytes, collected from the start (the header is written as the document is made). */
  readonly #bytes: Promise<Buffer>;

  constructor(info: { title: string; subject: string; createdAt: Date }) {
    this.doc = new PDFDocument({
      size: "A4",
      margin: 0,
      bufferPages: true,
      info: {
        Title: printable(info.title),
        Subject: printable(info.subject),
        Author: "Lotgraph",
        Creator: "Lotgraph",
        CreationDate: info.createdAt,
        ModDate: info.createdAt,
      },
    });
    const chunks: Buffer[] = [];
    this.#bytes = new Promise<Buffer>((resolve, reject) => {
      this.doc.on("data", (chunk: Buffer) => chunks.push(chunk));
      this.doc.on("end", () => resolve(Buffer.concat(chunks)));
      this.doc.on("error", reject);
    });
    this.doc.fillColor(COLOR.text);
  }

  /** Writes `text` at the cursor, wrapped to the content width, and moves the cursor below it. */
  paragraph(text: string, style: { size?: number; font?: string; color?: string; gap?: number } = {}): void {
    const { doc } = this;
    doc.font(style.font ?? FONT.regular).fontSize(style.size ?? 9);
    const shown = printable(text);
    const height = doc.heightOfString(shown, { width: CONTENT_WIDTH });
    this.ensure(height);
    doc.fillColor(style.color ?? COLOR.text).text(shown, MARGIN_X, this.y, { width: CONTENT_WIDTH });
    doc.fillColor(COLOR.text);
    this.y += height + (style.gap ?? 4);
  }

  /** A section heading with a rule, kept on the same page as `keepWith` points of what follows. */
  heading(text: string, keepWith = 48): void {
    const { doc } = this;
    this.y += 10;
    this.ensure(22 + keepWith);
    doc.font(FONT.bold).fontSize(11.5).fillColor(COLOR.text).text(printable(text), MARGIN_X, this.y, {
      width: CONTENT_WIDTH,
      lineBreak: false,
    });
    this.y += 15;
    this.rule(this.y, COLOR.text, 0.8);
    this.y += 6;
  }

  /** Label–value pairs in two columns, the label muted; values wrap. */
  keyValues(rows: ReadonlyArray<[string, string]>, labelWidth = 112): void {
    const { doc } = this;
    const valueWidth = CONTENT_WIDTH - labelWidth;
    for (const [label, value] of rows) {
      doc.font(FONT.regular).fontSize(9);
      const shown = printable(value);
      const height = Math.max(doc.heightOfString(shown, { width: valueWidth }), 11);
      this.ensure(height + 3);
      doc.fillColor(COLOR.muted).text(printable(label), MARGIN_X, this.y, { width: labelWidth - 8 });
      doc.fillColor(COLOR.text).text(shown, MARGIN_X + labelWidth, this.y, { width: valueWidth });
      this.y += height + 3;
    }
  }

  /**
   * A table with a header row repeated on every page it spans. Cells wrap within their column;
   * right-aligned columns are for figures, printed by the caller with aligned decimals.
   */
  table(caption: string | null, columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): void {
    const { doc } = this;
    const total = columns.reduce((sum, c) => sum + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * CONTENT_WIDTH);
    const xs = widths.map((_, i) => MARGIN_X + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const heightOf = (cells: readonly string[], font: string) => {
      doc.font(font).fontSize(TABLE_FONT_SIZE);
      const lines = cells.map((cell, i) => doc.heightOfString(printable(cell), { width: widths[i]! - 2 * CELL_PAD_X }));
      return Math.max(...lines, TABLE_FONT_SIZE) + 2 * CELL_PAD_Y;
    };
    const headerHeight = heightOf(
      columns.map((c) => c.header),
      FONT.bold,
    );
    const drawHeader = (continued: boolean) => {
      if (continued && caption) {
        doc.font(FONT.italic).fontSize(8).fillColor(COLOR.muted);
        doc.text(printable(`${caption} (continued)`), MARGIN_X, this.y, { width: CONTENT_WIDTH, lineBreak: false });
        this.y += 12;
      }
      doc.rect(MARGIN_X, this.y, CONTENT_WIDTH, headerHeight).fill(COLOR.headerFill);
      this.cells(
        columns,
        xs,
        widths,
        columns.map((c) => c.header),
        FONT.bold,
      );
      this.y += headerHeight;
      this.rule(this.y, COLOR.muted, 0.6);
    };
    const first = rows[0] ? heightOf(rows[0], FONT.regular) : 0;
    this.ensure(headerHeight + first);
    drawHeader(false);
    rows.forEach((row, index) => {
      const height = heightOf(row, FONT.regular);
      if (this.y + height > CONTENT_BOTTOM) {
        this.newPage();
        drawHeader(true);
      }
      if (index % 2 === 1) doc.rect(MARGIN_X, this.y, CONTENT_WIDTH, height).fill(COLOR.zebra);
      this.cells(columns, xs, widths, row, FONT.regular);
      this.y += height;
    });
    this.rule(this.y, COLOR.rule, 0.6);
    this.y += 4;
  }

  /** Starts a page when fewer than `height` points are left on this one. */
  ensure(height: number): void {
    if (this.y + height > CONTENT_BOTTOM) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = CONTENT_TOP;
  }

  rule(y: number, color: string, width: number): void {
    this.doc
      .moveTo(MARGIN_X, y)
      .lineTo(MARGIN_X + CONTENT_WIDTH, y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke();
  }

  /**
   * The running header (from page 2) and the footer of every page, with "page X of Y": drawn
   * last, when the count is known (the pages are buffered).
   */
  finish(frame: Frame): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index++) {
      doc.switchToPage(index);
      if (index > range.start) {
        doc.font(FONT.bold).fontSize(8).fillColor(COLOR.text);
        doc.text(printable(frame.title), MARGIN_X, 30, { width: CONTENT_WIDTH - 120, lineBreak: false });
        doc.font(FONT.regular).fillColor(COLOR.muted);
        doc.text(printable(frame.status), MARGIN_X + CONTENT_WIDTH - 120, 30, { width: 120, align: "right" });
        this.rule(42, COLOR.rule, 0.6);
      }
      const footerTop = PAGE.height - 46;
      this.rule(footerTop, COLOR.rule, 0.6);
      doc.font(FONT.regular).fontSize(7.5).fillColor(COLOR.muted);
      doc.text(printable(frame.footer), MARGIN_X, footerTop + 6, { width: CONTENT_WIDTH - 80 });
      doc.text(`Page ${index - range.start + 1} of ${range.count}`, MARGIN_X + CONTENT_WIDTH - 80, footerTop + 6, {
        width: 80,
        align: "right",
      });
    }
    doc.end();
    return this.#bytes;
  }

  private cells(
    columns: readonly Column[],
    xs: readonly number[],
    widths: readonly number[],
    cells: readonly string[],
    font: string,
  ): void {
    const { doc } = this;
    doc.font(font).fontSize(TABLE_FONT_SIZE).fillColor(COLOR.text);
    cells.forEach((cell, i) => {
      doc.text(printable(cell), xs[i]! + CELL_PAD_X, this.y + CELL_PAD_Y, {
        width: widths[i]! - 2 * CELL_PAD_X,
        align: columns[i]?.align ?? "left",
      });
    });
  }
}
