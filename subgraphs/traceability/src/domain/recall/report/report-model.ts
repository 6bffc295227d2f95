import { Quantity } from "@lotgraph/kit";
import type { ReconciliationLineView } from "../reconciliation-views.ts";
import type {
  Containment,
  RecallActionKind,
  RecallActionView,
  RecallAnswer,
  RecallCaseRecord,
  RecallNoticeRecord,
} from "../recall-records.ts";
import type { ReportNameRequest, ReportNames } from "./report-names.ts";

/**
 * A recall case or mock-recall drill as its report shows it (issue 21): what an SQF or BRCGS
 * auditor asks of a traceability exercise (scope, where the material went, the mass balance and
 * the recovery percentage, who ran it, when, and how long the answer took), and for a real recall
 * who was told and what is still to do. The PDF and the CSV are two renderings of this.
 */
export interface RecallReport {
  caseId: string;
  number: string;
  kind: "DRILL" | "RECALL";
  status: RecallCaseRecord["status"];
  reason: string;
  source: { kind: "LOT" | "SUPPLIER_LOT_CODE"; label: string; lotId: string | null };
  opened: { at: Date; byName: string };
  closed: {
    at: Date;
    byName: string;
    reason: string;
    signature: { signerName: string; meaning: string; signedAt: Date } | null;
  } | null;
  answeredInMs: number;
  containment: { state: Containment; lotHolds: number; supplierHolds: number };
  summary: ReportSummary;
  reconciliation: ReconciliationLineView[];
  /** Most exposed first, as exposure orders them. */
  customers: CustomerRow[];
  /** Source lots first, then by depth, as exposure orders them. */
  lots: LotRow[];
  notices: NoticeRow[];
  actions: ActionRow[];
  generated: { at: Date; byName: string; install: string };
}

export interface ReportSummary {
  lotsAffected: number;
  lotsFoundLater: number;
  finishedLots: number;
  onHandLots: number;
  shipments: number;
  customers: number;
  /** Customers the exposure reaches with at least one notice recorded, and with one acknowledged. */
  customersNotified: number;
  customersAcknowledged: number;
  /** Reconciliation's percentAccountedFor. */
  recoveryPercent: number;
  balanced: boolean;
  /** What the source lots were received or produced as, per unit. */
  sourceQuantity: Array<{ quantity: string; uom: string }>;
}

export interface CustomerRow {
  customerId: string;
  code: string;
  name: string;
  shipments: Array<{ id: string; reference: string }>;
  quantityOfSource: string;
  uom: string;
}

export interface LotRow {
  lotId: string;
  code: string;
  materialSku: string;
  materialName: string;
  depth: number;
  fraction: string;
  /** The fraction × 100, exact (4 places from the fraction's 6). */
  fractionPercent: string;
  quantityOfSource: string;
  /** The lot's quantity received or produced. */
  quantity: string;
  uom: string;
  /** Not in the set frozen when the case opened: made or received since. */
  foundLater: boolean;
}

export interface NoticeRow {
  customerId: string;
  customerName: string;
  notifiedAt: Date;
  acknowledgedAt: Date | null;
  note: string;
  recordedByName: string;
  recordedAt: Date;
}

export interface ActionRow {
  kind: RecallActionKind;
  description: string;
  /** The customer's name or the lot's code, when the action concerns one. */
  subject: string;
  customerId: string | null;
  lotId: string | null;
}

/** Everything a report is made from: the case, what the case service answers now, and names. */
export interface ReportFacts {
  record: RecallCaseRecord;
  answer: RecallAnswer;
  notices: readonly RecallNoticeRecord[];
  actions: readonly RecallActionView[];
  names: ReportNames;
  generated: { at: Date; byName: string; install: string };
}

/** The ids a report of these facts prints names for. */
export function namesNeeded(facts: Omit<ReportFacts, "names" | "generated">): ReportNameRequest {
  const { record, answer, notices, actions } = facts;
  const lotIds = new Set(answer.exposure.lots.map((l) => l.lot.id));
  if (record.sourceLotId) lotIds.add(record.sourceLotId);
  const partyIds = new Set(answer.exposure.customers.map((c) => c.customer.id));
  for (const notice of notices) partyIds.add(notice.customerId);
  for (const action of actions) {
    if (action.lot) lotIds.add(action.lot.id);
    if (action.customer) partyIds.add(action.customer.id);
  }
  const shipmentIds = new Set(answer.exposure.customers.flatMap((c) => c.shipments.map((s) => s.id)));
  return { lotIds: [...lotIds], partyIds: [...partyIds], shipmentIds: [...shipmentIds] };
}

/** The report of a case: pure, so both renderings and their tests start from fixture views. */
export function recallReport(facts: ReportFacts): RecallReport {
  const { record, answer, notices, actions, names, generated } = facts;
  const label = labels(names);
  return {
    ...caseHeader(record, label),
    summary: summaryOf(answer, notices),
    reconciliation: answer.reconciliation.lines,
    customers: answer.exposure.customers.map((c) => ({
      customerId: c.customer.id,
      ...label.party(c.customer.id),
      shipments: c.shipments.map((s) => ({ id: s.id, reference: names.shipments.get(s.id)?.reference ?? s.id })),
      quantityOfSource: c.quantityOfSource,
      uom: c.uom,
    })),
    lots: lotRows(answer, names),
    notices: notices.map((n) => ({
      customerId: n.customerId,
      customerName: label.party(n.customerId).name,
      notifiedAt: n.notifiedAt,
      acknowledgedAt: n.acknowledgedAt,
      note: n.note,
      recordedByName: n.recordedByName,
      recordedAt: n.recordedAt,
    })),
    actions: actions.map((a) => ({
      kind: a.kind,
      description: a.description,
      subject: a.customer ? label.party(a.customer.id).name : a.lot ? label.lot(a.lot.id) : "",
      customerId: a.customer?.id ?? null,
      lotId: a.lot?.id ?? null,
    })),
    generated,
  };
}

/** How a lot and a party are named: by code and name where known, by id where not. */
function labels(names: ReportNames) {
  return {
    lot: (lotId: string) => names.lots.get(lotId)?.code ?? lotId,
    party: (partyId: string) => {
      const known = names.parties.get(partyId);
      return { code: known?.code ?? "", name: known?.name ?? known?.code ?? partyId };
    },
  };
}

function caseHeader(
  record: RecallCaseRecord,
  label: ReturnType<typeof labels>,
): Omit<RecallReport, "summary" | "reconciliation" | "customers" | "lots" | "notices" | "actions" | "generated"> {
  return {
    caseId: record.id,
    number: record.number,
    kind: record.drill ? "DRILL" : "RECALL",
    status: record.status,
    reason: record.reason,
    source: record.sourceLotId
      ? { kind: "LOT", label: label.lot(record.sourceLotId), lotId: record.sourceLotId }
      : { kind: "SUPPLIER_LOT_CODE", label: record.supplierLotCode ?? "", lotId: null },
    opened: { at: record.openedAt, byName: record.openedByName },
    closed: record.closedAt
      ? {
          at: record.closedAt,
          byName: record.closedByName ?? "",
          reason: record.closeReason ?? "",
          signature:
            record.signerName && record.signedAt
              ? { signerName: record.signerName, meaning: record.signatureMeaning ?? "", signedAt: record.signedAt }
              : null,
        }
      : null,
    answeredInMs: record.answeredInMs,
    containment: {
      state: record.containment,
      lotHolds: record.holdIds.length,
      supplierHolds: record.supplierHoldIds.length,
    },
  };
}

function summaryOf(answer: RecallAnswer, notices: readonly RecallNoticeRecord[]): ReportSummary {
  const reached = new Set(answer.exposure.customers.map((c) => c.customer.id));
  const told = (acknowledged: boolean) =>
    new Set(
      notices.filter((n) => reached.has(n.customerId) && (!acknowledged || n.acknowledgedAt)).map((n) => n.customerId),
    ).size;
  return {
    lotsAffected: answer.scope.lots.length,
    lotsFoundLater: answer.scope.foundLaterCount,
    finishedLots: answer.scope.finishedLots.length,
    onHandLots: answer.scope.onHand.length,
    shipments: answer.scope.shipments.length,
    customers: reached.size,
    customersNotified: told(false),
    customersAcknowledged: told(true),
    recoveryPercent: answer.reconciliation.percentAccountedFor,
    balanced: answer.reconciliation.balanced,
    sourceQuantity: answer.exposure.sourceQuantity,
  };
}

function lotRows(answer: RecallAnswer, names: ReportNames): LotRow[] {
  const frozen = new Map(answer.scope.lots.map((l) => [l.lot.id, l.frozen]));
  return answer.exposure.lots.map((l) => {
    const known = names.lots.get(l.lot.id);
    return {
      lotId: l.lot.id,
      code: known?.code ?? l.lot.id,
      materialSku: known?.materialSku ?? "",
      materialName: known?.materialName ?? known?.materialSku ?? "",
      depth: l.depth,
      fraction: l.fraction,
      fractionPercent: percentOfFraction(l.fraction),
      quantityOfSource: l.quantityOfSource,
      quantity: l.quantity,
      // Exposure's "?" means the genealogy has not seen the lot's receipt yet; inventory has.
      uom: l.uom === "?" ? (known?.uom ?? l.uom) : l.uom,
      foundLater: frozen.get(l.lot.id) === false,
    };
  });
}

/** "0.300000" → "30.0000": a fraction's 6 places are a percentage's 4, so nothing is rounded. */
export function percentOfFraction(fraction: string): string {
  return Quantity.fromMicros(Quantity.of(fraction).micros * 100n).toFixed(4);
}

/** The `limit` lots holding the most source, largest first (ties: shallower, then by code). */
export function topLotsBySource(lots: readonly LotRow[], limit: number): LotRow[] {
  return lots
    .map((lot) => ({ lot, source: Quantity.of(lot.quantityOfSource).micros }))
    .sort(
      (a, b) =>
        (a.source < b.source ? 1 : a.source > b.source ? -1 : 0) ||
        a.lot.depth - b.lot.depth ||
        (a.lot.code < b.lot.code ? -1 : a.lot.code > b.lot.code ? 1 : 0),
    )
    .slice(0, limit)
    .map(({ lot }) => lot);
}
