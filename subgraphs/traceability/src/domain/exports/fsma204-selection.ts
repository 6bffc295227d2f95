import { DomainError } from "@lotgraph/kit";
import type { GenealogyStore } from "../../genealogy/port/genealogy-store.ts";
import type { TraceLotFacts } from "./facts.ts";
import { buildFsma204Rows, type Fsma204Row } from "./fsma204.ts";
import type { Fsma204Request, Fsma204Subject } from "./fsma204-request.ts";
import { spansOfDays, withinRange, type BoundedRange, type EventDay, type TimeRange } from "./fsma204-window.ts";
import { gatherTraceFacts, type ExportFactsReads } from "./trace-facts.ts";

/** What the spreadsheet's selections read beyond a trace's facts (traceability's projection). */
export interface Fsma204Reads {
  /** A product (material) the projection knows, with its SKU when known; null when it knows none. */
  product(materialId: string): Promise<{ sku: string | null } | null>;
  /** The received lots carrying a supplier lot code, of one material when given. */
  receivedLots(supplierLotCode: string, materialId: string | null): Promise<string[]>;
  /** How many of the product's events (as `productEvents` selects them) fall on each UTC day of the span. */
  productEventDays(materialId: string, span: BoundedRange): Promise<EventDay[]>;
  /**
   * The product's Critical Tracking Events whose time lies in the span: the receipts of its lots;
   * the runs that consumed or output one of its lots, each with all its inputs and, when it
   * consumed the product, all its outputs, else its outputs of the product; the shipment lines of
   * its lots. `lots` holds every lot they name, each with its `origin`.
   */
  productEvents(materialId: string, span: BoundedRange): Promise<TraceLotFacts>;
}

export interface Fsma204SelectionDeps {
  genealogy: GenealogyStore;
  reads: ExportFactsReads;
  fsma204: Fsma204Reads;
  /** About how many events a product's spreadsheet reads at a time (tests make it small). */
  pageEvents?: number;
}

/** The rows of a request, sorted, in pieces that follow each other in the spreadsheet's order. */
export interface Fsma204Selection {
  /** Names the subject in the file name: a lot code, a supplier lot code, a SKU. */
  subjectName: string;
  rows: AsyncIterable<Fsma204Row[]>;
}

/** A day of a busy product can hold thousands of events; a year, tens of thousands. */
const PAGE_EVENTS = 2000;

/**
 * The spreadsheet's rows for a request (issue 21): the trace of a lot; every lot received under a
 * supplier lot code and everything downstream of them; or a product's own events. Only events in
 * the request's range. NOT_FOUND, before any row, when the subject does not exist: an empty
 * spreadsheet must never read as "nothing to report" because of a typo.
 */
export async function selectFsma204(deps: Fsma204SelectionDeps, request: Fsma204Request): Promise<Fsma204Selection> {
  const { subject, range } = request;
  switch (subject.kind) {
    case "lot": {
      const facts = await gatherTraceFacts(deps, subject.lotId, subject.direction);
      const root = facts.lots.find((lot) => lot.id === subject.lotId);
      return { subjectName: root?.code ?? subject.lotId, rows: once(rowsWithin(facts, range)) };
    }
    case "supplierLotCode": {
      const facts = await supplierLotFacts(deps, subject);
      return { subjectName: subject.supplierLotCode, rows: once(rowsWithin(facts, range)) };
    }
    case "product": {
      const { productId, span } = subject;
      const { sku } = await existingProduct(deps.fsma204, productId);
      const spans = spansOfDays(await deps.fsma204.productEventDays(productId, span), span, pageSize(deps));
      return { subjectName: sku ?? productId, rows: productRows(deps.fsma204, productId, spans) };
    }
  }
}

/** Every lot received under the code (of the product, if given), and every lot made from them. */
async function supplierLotFacts(
  deps: Fsma204SelectionDeps,
  subject: Extract<Fsma204Subject, { kind: "supplierLotCode" }>,
): Promise<TraceLotFacts> {
  const { supplierLotCode, productId } = subject;
  if (productId !== null) await existingProduct(deps.fsma204, productId);
  const received = await deps.fsma204.receivedLots(supplierLotCode, productId);
  if (received.length === 0) {
    const of = productId === null ? "" : ` of product ${productId}`;
    throw new DomainError("NOT_FOUND", `supplierLotCode: no lot${of} was received under ${supplierLotCode}`, {
      entity: "Lot",
      supplierLotCode,
    });
  }
  const descendants = await deps.genealogy.descendants(received);
  return deps.reads.factsOfLots([...new Set([...received, ...descendants])]);
}

async function existingProduct(reads: Fsma204Reads, productId: string): Promise<{ sku: string | null }> {
  const product = await reads.product(productId);
  if (product === null)
    throw new DomainError("NOT_FOUND", `productId: no product (material) ${productId}`, {
      entity: "Material",
      id: productId,
    });
  return product;
}

/** A product's rows span by span: each span ends at a UTC midnight, so each is sorted alone. */
async function* productRows(reads: Fsma204Reads, productId: string, spans: readonly BoundedRange[]) {
  for (const span of spans) yield rowsWithin(await reads.productEvents(productId, span), span);
}

function rowsWithin(facts: TraceLotFacts, range: TimeRange): Fsma204Row[] {
  const rows = buildFsma204Rows(facts);
  return range.from === null && range.to === null
    ? rows
    : rows.filter((row) => withinRange(new Date(row.eventTime), range));
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

function pageSize(deps: Fsma204SelectionDeps): number {
  return deps.pageEvents ?? PAGE_EVENTS;
}
