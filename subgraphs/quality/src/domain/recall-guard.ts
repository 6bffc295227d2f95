import { DomainError } from "@lotgraph/kit";
import type { Reader } from "../store/db.ts";
import { openRecallHolding } from "../store/recall-containment-store.ts";

/**
 * Refuses to release a hold of a placement an open recall holds (decision 0029): the recall's
 * holds are what keeps its affected material from being used or shipped, so they end only after
 * the recall is closed with its signature, whichever release path is tried (a hold, one lot of a
 * placement, an inherited hold, the supplier hold itself).
 */
export async function refuseReleaseDuringRecall(db: Reader, placementId: string, what: string): Promise<void> {
  const caseNumber = await openRecallHolding(db, placementId);
  if (caseNumber)
    throw new DomainError(
      "CONFLICT",
      `${what} belongs to recall ${caseNumber}, which is open: it can be released once the recall is closed`,
      { recallCaseNumber: caseNumber },
    );
}
