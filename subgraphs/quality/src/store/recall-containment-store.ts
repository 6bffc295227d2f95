import type { QualityTx, Reader } from "./db.ts";

/** Records the placements a recall holds; a containment replayed records nothing twice. */
export async function recordContainment(
  tx: QualityTx,
  containment: { recallCaseId: string; caseNumber: string; placementIds: readonly string[] },
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO recall_containment (recall_case_id, case_number, placement_ids)
     VALUES ($1::uuid, $2, $3::uuid[]) ON CONFLICT (recall_case_id) DO NOTHING`,
    containment.recallCaseId,
    containment.caseNumber,
    [...containment.placementIds],
  );
}

/** The number of the open recall that holds a placement, or null when none does. */
export async function openRecallHolding(db: Reader, placementId: string): Promise<string | null> {
  const [row] = await db.$queryRawUnsafe<Array<{ case_number: string }>>(
    `SELECT case_number FROM recall_containment
      WHERE closed_at IS NULL AND $1::uuid = ANY(placement_ids)
      ORDER BY contained_at LIMIT 1`,
    placementId,
  );
  return row?.case_number ?? null;
}

/** The recall closed: its holds may be released from now on. */
export async function closeContainment(tx: QualityTx, recallCaseId: string, closedAt: Date): Promise<void> {
  await tx.$executeRawUnsafe(
    "UPDATE recall_containment SET closed_at = $2 WHERE recall_case_id = $1::uuid AND closed_at IS NULL",
    recallCaseId,
    closedAt,
  );
}
