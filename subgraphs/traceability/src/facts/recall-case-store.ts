import type { TraceabilityClient, TraceabilityTx } from "../database.ts";
import type {
  RecallAnswer,
  RecallCaseRecord,
  RecallCaseStatus,
  RecallNoticeRecord,
} from "../domain/recall/recall-records.ts";

type Reader = TraceabilityClient | TraceabilityTx;

const asCase = (row: RecallCaseRecord & { status: string; containment: string }): RecallCaseRecord => ({
  ...row,
  status: row.status as RecallCaseStatus,
  containment: row.containment as RecallCaseRecord["containment"],
});

export async function findCase(db: Reader, id: string): Promise<RecallCaseRecord | null> {
  const row = await db.recallCase.findUnique({ where: { id } });
  return row ? asCase(row as RecallCaseRecord) : null;
}

/** The case, locked for the rest of the transaction (notices and closing queue on it). */
export async function lockCase(tx: TraceabilityTx, id: string): Promise<RecallCaseRecord | null> {
  await tx.$queryRawUnsafe("SELECT 1 FROM recall_case WHERE id = $1::uuid FOR UPDATE", id);
  return findCase(tx, id);
}

/**
 * Takes the next number of a kind in a year (RC-2026-0001, DRILL-2026-0001): one atomic upsert of
 * the counter, so two cases opened at once never share one. A real recall takes its number
 * outside any transaction, before quality places the holds, so that their reason names it: if
 * quality then refuses, the number stays unused, and the journal (pending_write, an abandoned
 * openRecall) says why.
 */
export async function takeCaseNumber(db: Reader, drill: boolean, at: Date): Promise<string> {
  const prefix = `${drill ? "DRILL" : "RC"}-${at.getUTCFullYear()}-`;
  const [row] = await db.$queryRawUnsafe<Array<{ last: number }>>(
    `INSERT INTO recall_case_counter (prefix, last) VALUES ($1, 1)
     ON CONFLICT (prefix) DO UPDATE SET last = recall_case_counter.last + 1 RETURNING last`,
    prefix,
  );
  return `${prefix}${String(row!.last).padStart(4, "0")}`;
}

export async function insertCase(tx: TraceabilityTx, record: RecallCaseRecord, frozenLotIds: readonly string[]) {
  await tx.recallCase.create({ data: record });
  // One statement for the frozen set: a recall may freeze tens of thousands of lots.
  await tx.$executeRawUnsafe(
    "INSERT INTO recall_case_lot (case_id, lot_id) SELECT $1::uuid, unnest($2::uuid[]) ON CONFLICT DO NOTHING",
    record.id,
    [...frozenLotIds],
  );
}

/**
 * Keeps a drill's answer as it was found (decision 0028). Written as JSON text in one statement:
 * on a large plant the answer is a few megabytes, which jsonb would take apart for nothing.
 */
export async function insertAnswer(tx: TraceabilityTx, caseId: string, answer: RecallAnswer): Promise<void> {
  await tx.$executeRawUnsafe(
    "INSERT INTO recall_case_answer (case_id, answer) VALUES ($1::uuid, $2::json)",
    caseId,
    JSON.stringify(answer),
  );
}

/** A drill's kept answer, or null for a case answered afresh (a real recall, an older drill). */
export async function keptAnswer(db: Reader, caseId: string): Promise<RecallAnswer | null> {
  const [row] = await db.$queryRawUnsafe<Array<{ answer: string }>>(
    "SELECT answer::text AS answer FROM recall_case_answer WHERE case_id = $1::uuid",
    caseId,
  );
  if (!row) return null;
  const answer = JSON.parse(row.answer) as RecallAnswer;
  // The one field that is not a string or a number in JSON.
  for (const lot of answer.scope.lots) lot.createdAt = lot.createdAt === null ? null : new Date(lot.createdAt);
  return answer;
}

export async function frozenLotIds(db: Reader, caseId: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ lot_id: string }>>(
    "SELECT lot_id::text FROM recall_case_lot WHERE case_id = $1::uuid",
    caseId,
  );
  return rows.map((r) => r.lot_id);
}

export const closeCase = (
  tx: TraceabilityTx,
  id: string,
  close: Pick<
    RecallCaseRecord,
    "closedAt" | "closedById" | "closedByName" | "closeReason" | "signerName" | "signedAt" | "signatureMeaning"
  >,
) => tx.recallCase.update({ where: { id }, data: { ...close, status: "CLOSED" } });

export const insertNotice = (tx: TraceabilityTx, notice: RecallNoticeRecord) =>
  tx.recallNotice.create({ data: notice });

export const noticesOf = (db: Reader, caseId: string): Promise<RecallNoticeRecord[]> =>
  db.recallNotice.findMany({ where: { caseId }, orderBy: [{ notifiedAt: "asc" }, { recordedAt: "asc" }] });

/** Cases newest first, after a keyset position. */
export async function pageCases(
  db: Reader,
  filter: { status: RecallCaseStatus | null; drill: boolean | null },
  after: { openedAt: Date; id: string } | null,
  limit: number,
): Promise<{ rows: RecallCaseRecord[]; total: number }> {
  const where = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.drill !== null ? { drill: filter.drill } : {}),
  };
  const keyset = after
    ? { OR: [{ openedAt: { lt: after.openedAt } }, { openedAt: after.openedAt, id: { lt: after.id } }] }
    : {};
  const [rows, total] = await Promise.all([
    db.recallCase.findMany({
      where: { ...where, ...keyset },
      orderBy: [{ openedAt: "desc" }, { id: "desc" }],
      take: limit + 1,
    }),
    db.recallCase.count({ where }),
  ]);
  return { rows: rows.map((r) => asCase(r as RecallCaseRecord)), total };
}

/** The suppliers that delivered lots under a supplier lot code, from the receipts projected. */
export async function suppliersOfCode(db: Reader, code: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Array<{ supplier_id: string }>>(
    "SELECT DISTINCT supplier_id::text FROM genealogy_lot WHERE supplier_lot_code = $1 AND supplier_id IS NOT NULL ORDER BY 1",
    code,
  );
  return rows.map((r) => r.supplier_id);
}

/** When each lot was received or produced, as projected (absent for a lot not seen yet). */
export async function lotCreationTimes(db: Reader, lotIds: readonly string[]): Promise<Map<string, Date>> {
  const rows = await db.$queryRawUnsafe<Array<{ lot_id: string; created_at: Date }>>(
    "SELECT lot_id::text, created_at FROM genealogy_lot WHERE lot_id = ANY($1::uuid[])",
    [...lotIds],
  );
  return new Map(rows.map((r) => [r.lot_id, r.created_at]));
}

/** When the first shipment of any of the lots left for the customer; null when none went to it. */
export async function firstShipmentTo(db: Reader, lotIds: readonly string[], customerId: string): Promise<Date | null> {
  const [row] = await db.$queryRawUnsafe<Array<{ first: Date | string | null }>>(
    `SELECT min(f.shipped_at) AS first FROM shipment_lot l JOIN shipment_fact f ON f.shipment_id = l.shipment_id
      WHERE l.lot_id = ANY($1::uuid[]) AND f.customer_id = $2::uuid`,
    [...lotIds],
    customerId,
  );
  return row?.first ? new Date(row.first) : null;
}
