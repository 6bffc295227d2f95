import type { GenealogyStore } from "../../genealogy/port/genealogy-store.ts";
import type { TraceFacts } from "../exports/facts.ts";
import type { EvidenceCase } from "./evidence-ports.ts";

/** The lots a case covers when its evidence is made. */
export interface CaseScope {
  /** Where the case started: its lot, or every lot received under its supplier lot code. */
  sourceLotIds: string[];
  /** The affected set frozen when the case opened. */
  frozenLotIds: string[];
  /** Lots made since from affected material: in the scope now, not in the frozen set. */
  foundLaterLotIds: string[];
  /** All of them, frozen first. */
  lotIds: string[];
}

/**
 * The case's scope now (decision 0023): its frozen lots and its source lots, and every lot the
 * genealogy has made from them since. A lot received later under the supplier lot code is a
 * source too, so it and what was made from it join the scope.
 */
export async function caseScope(genealogy: GenealogyStore, recallCase: EvidenceCase): Promise<CaseScope> {
  const sourceLotIds = recallCase.sourceLotId
    ? [recallCase.sourceLotId]
    : recallCase.supplierLotCode
      ? await genealogy.lotsBySupplierLotCode(recallCase.supplierLotCode)
      : [];
  if (recallCase.drill) return drillScope(recallCase, sourceLotIds);
  const starts = [...new Set([...recallCase.frozenLotIds, ...sourceLotIds])];
  const descendants = await genealogy.descendants(starts);
  const lotIds = [...new Set([...recallCase.frozenLotIds, ...starts, ...descendants])];
  const frozen = new Set(recallCase.frozenLotIds);
  return {
    sourceLotIds,
    frozenLotIds: recallCase.frozenLotIds,
    foundLaterLotIds: lotIds.filter((id) => !frozen.has(id)),
    lotIds,
  };
}

/**
 * A drill's scope is what it found when it ran (decision 0028): its frozen lots, nothing found
 * later, so its bundle agrees with its report.
 */
function drillScope(recallCase: EvidenceCase, sourceLotIdsNow: string[]): CaseScope {
  const frozen = new Set(recallCase.frozenLotIds);
  return {
    sourceLotIds: sourceLotIdsNow.filter((lotId) => frozen.has(lotId)),
    frozenLotIds: recallCase.frozenLotIds,
    foundLaterLotIds: [],
    lotIds: recallCase.frozenLotIds,
  };
}

/**
 * The events of a drill's lots up to the moment it ran: a receipt, run or shipment of them since
 * is not part of what the drill found.
 */
export function factsWhenDrilled<F extends Pick<TraceFacts, "receipts" | "transformations" | "shipments">>(
  facts: F,
  openedAt: Date,
): F {
  const by = (at: string) => new Date(at).getTime() <= openedAt.getTime();
  return {
    ...facts,
    receipts: facts.receipts.filter((receipt) => by(receipt.at)),
    transformations: facts.transformations.filter((run) => by(run.at)),
    shipments: facts.shipments.filter((shipment) => by(shipment.at)),
  };
}
