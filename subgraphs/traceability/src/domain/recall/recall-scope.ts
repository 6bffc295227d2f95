import { Quantity, SUBJECTS } from "@lotgraph/kit";
import type { TraceabilityClient } from "../../database.ts";
import { lotCreationTimes } from "../../facts/recall-case-store.ts";
import type { GenealogyStore } from "../../genealogy/port/genealogy-store.ts";
import type { LotFactsSource, TraceReads } from "../records.ts";
import type { RecallCaseRecord, RecallScopeView } from "./recall-records.ts";

export interface ScopeSources {
  db: { client: TraceabilityClient };
  genealogy: GenealogyStore;
  reads: TraceReads;
  inventory: LotFactsSource;
}

/**
 * A case's affected set: the lots frozen when it opened, and every lot the genealogy shows from
 * its source lots now (a lot made later from affected material, a later receipt of the code),
 * marked as found later. Quantities on hand and material kinds are inventory's, read now.
 */
export async function recallScope(
  sources: ScopeSources,
  sourceLotIds: readonly string[],
  frozen: readonly string[],
): Promise<RecallScopeView> {
  const descendants = await sources.genealogy.descendants(sourceLotIds);
  const frozenSet = new Set(frozen);
  const all = [...new Set([...frozen, ...sourceLotIds, ...descendants])];
  const [created, facts, shipments] = await Promise.all([
    lotCreationTimes(sources.db.client, all),
    sources.inventory.lotFacts(all),
    sources.reads.shipmentsOfLots(all),
  ]);
  const lots = all
    .map((lotId) => ({ lot: { id: lotId }, frozen: frozenSet.has(lotId), createdAt: created.get(lotId) ?? null }))
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.lot.id.localeCompare(b.lot.id));
  // A drill and a case being opened have nothing frozen yet: everything counts as frozen then.
  const foundLater = frozen.length === 0 ? 0 : lots.filter((l) => !l.frozen).length;
  return {
    lots: frozen.length === 0 ? lots.map((l) => ({ ...l, frozen: true })) : lots,
    frozenCount: lots.length - foundLater,
    foundLaterCount: foundLater,
    finishedLots: facts.filter((f) => f.materialKind === "FINISHED").map((f) => ({ id: f.id })),
    onHand: facts.filter((f) => Quantity.of(f.quantity).isPositive()).map((f) => ({ id: f.id })),
    shipments: shipments.map((shipmentId) => ({ id: shipmentId })),
  };
}

const SUBJECT = {
  opened: SUBJECTS.traceability.recallOpened,
  noticeRecorded: SUBJECTS.traceability.recallNoticeRecorded,
  closed: SUBJECTS.traceability.recallClosed,
} as const;

/** The event of a case change (the change feed, webhooks and live updates carry it). */
export function caseEvent(kind: keyof typeof SUBJECT, record: RecallCaseRecord, customerId: string | null = null) {
  return {
    subject: SUBJECT[kind],
    entityType: "RecallCase",
    entityId: record.id,
    payload: {
      recallCaseId: record.id,
      number: record.number,
      drill: record.drill,
      status: record.status,
      sourceLotId: record.sourceLotId,
      supplierLotCode: record.supplierLotCode,
      ...(customerId ? { customerId } : {}),
    },
  };
}
