import type { EvidenceCase, EvidenceCaseReads } from "./domain/evidence/evidence-ports.ts";
import type { TraceabilityClient } from "./database.ts";

/**
 * A case for its evidence, read straight from the recall tables (recall_case, recall_case_lot,
 * recall_notice): the bundle shows what is stored, whatever the recall screens make of it.
 */
export class SqlEvidenceCases implements EvidenceCaseReads {
  constructor(private readonly db: TraceabilityClient) {}

  async findCase(id: string): Promise<EvidenceCase | null> {
    const row = await this.db.recallCase.findUnique({
      where: { id },
      include: {
        lots: { select: { lotId: true }, orderBy: { lotId: "asc" } },
        notices: { orderBy: [{ notifiedAt: "asc" }, { id: "asc" }] },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      number: row.number,
      drill: row.drill,
      status: row.status,
      reason: row.reason,
      sourceLotId: row.sourceLotId,
      supplierLotCode: row.supplierLotCode,
      openedAt: row.openedAt,
      openedBy: { id: row.openedById, name: row.openedByName },
      containment: row.containment,
      holdIds: row.holdIds,
      supplierHoldIds: row.supplierHoldIds,
      closedAt: row.closedAt,
      closedBy: row.closedAt ? { id: row.closedById, name: row.closedByName } : null,
      closeReason: row.closeReason,
      signature:
        row.signerName && row.signedAt
          ? { signerName: row.signerName, signedAt: row.signedAt, meaning: row.signatureMeaning ?? "" }
          : null,
      frozenLotIds: row.lots.map((lot) => lot.lotId),
      notices: row.notices.map((notice) => ({
        id: notice.id,
        customerId: notice.customerId,
        notifiedAt: notice.notifiedAt,
        acknowledgedAt: notice.acknowledgedAt,
        note: notice.note,
        recordedAt: notice.recordedAt,
        recordedBy: { id: notice.recordedById, name: notice.recordedByName },
      })),
    };
  }
}
