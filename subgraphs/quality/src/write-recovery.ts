import {
  startPendingWriteRecovery,
  type Database,
  type Logger,
  type PendingWrite,
  type PendingWriteRecovery,
} from "@lotgraph/kit";
import type { QualityServices } from "./context.ts";
import type { DecisionWrite } from "./domain/decisions.ts";
import type { PlacementWrite, ReleaseWrite } from "./domain/holds.ts";
import type { LineHoldWrite } from "./domain/line-holds.ts";
import type { DispositionWrite } from "./domain/non-conformances.ts";
import type { SupplierPlacementWrite, SupplierReleaseWrite } from "./domain/supplier-holds.ts";
import type { QualityClient, QualityTx } from "./store/db.ts";

/**
 * Completes quality's cross-service writes that their request journalled and did not finish
 * (decision 0012): every mutation that changes inventory first (holds, releases, decisions,
 * dispositions) is journalled before the call, and completed here after a crash or while a peer
 * was away, in the requester's name, with the ids and the verified signature it journalled.
 */
export function startWriteRecovery(
  db: Database<QualityClient, QualityTx>,
  quality: QualityServices,
  logger: Logger,
): PendingWriteRecovery {
  const requestId = (write: PendingWrite) => `recovery:${write.id}`;
  const as = <P>(write: PendingWrite) => write as PendingWrite<P>;
  return startPendingWriteRecovery({
    db,
    logger: logger.child({ component: "write-recovery" }),
    handlers: {
      placeHold: (w) => quality.holds.completePlacement(as<PlacementWrite>(w), requestId(w)),
      releaseHold: (w) => quality.holds.completeRelease(as<ReleaseWrite>(w), requestId(w)),
      placeSupplierHold: (w) => quality.supplierHolds.completePlacement(as<SupplierPlacementWrite>(w), requestId(w)),
      releaseSupplierHold: (w) => quality.supplierHolds.completeRelease(as<SupplierReleaseWrite>(w), requestId(w)),
      placeLineHold: (w) => quality.lineHolds.completePlacement(as<LineHoldWrite>(w), requestId(w)),
      recordQcDecision: (w) => quality.decisions.completeDecision(as<DecisionWrite>(w), requestId(w)),
      setDisposition: (w) => quality.nonConformances.completeDisposition(as<DispositionWrite>(w), requestId(w)),
    },
  });
}
