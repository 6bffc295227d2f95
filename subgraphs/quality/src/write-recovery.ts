import { startPendingWriteRecovery, type Logger, type PendingWrite, type PendingWriteRecovery } from "@lotgraph/kit";
import type { QualityDeps } from "./domain/common.ts";
import type { DecisionWrite } from "./domain/decisions.ts";
import type { PlacementWrite, ReleaseWrite } from "./domain/holds.ts";
import type { LineHoldWrite } from "./domain/line-holds.ts";
import type { DispositionWrite } from "./domain/non-conformances.ts";
import { createQualityServices } from "./domain/quality-services.ts";
import type { SupplierPlacementWrite, SupplierReleaseWrite } from "./domain/supplier-holds.ts";
import { createLoaders } from "./loaders.ts";

/**
 * Completes quality's cross-service writes that their request journalled and did not finish
 * (decision 0012): every mutation that changes inventory first (holds, releases, decisions,
 * dispositions) is journalled before the call, and completed here after a crash or while a peer
 * was away, in the requester's name, with the ids and the verified signature it journalled.
 * Each write is completed as its own request would be: by services over loaders of its own, so
 * nothing read for one write is cached for the next.
 */
export function startWriteRecovery(deps: QualityDeps, logger: Logger): PendingWriteRecovery {
  const requestId = (write: PendingWrite) => `recovery:${write.id}`;
  const as = <P>(write: PendingWrite) => write as PendingWrite<P>;
  const services = () => createQualityServices(deps, createLoaders(deps.db.client));
  return startPendingWriteRecovery({
    db: deps.db,
    logger: logger.child({ component: "write-recovery" }),
    handlers: {
      placeHold: (w) => services().holds.completePlacement(as<PlacementWrite>(w), requestId(w)),
      releaseHold: (w) => services().holds.completeRelease(as<ReleaseWrite>(w), requestId(w)),
      placeSupplierHold: (w) => services().supplierHolds.completePlacement(as<SupplierPlacementWrite>(w), requestId(w)),
      releaseSupplierHold: (w) => services().supplierHolds.completeRelease(as<SupplierReleaseWrite>(w), requestId(w)),
      placeLineHold: (w) => services().lineHolds.completePlacement(as<LineHoldWrite>(w), requestId(w)),
      recordQcDecision: (w) => services().decisions.completeDecision(as<DecisionWrite>(w), requestId(w)),
      setDisposition: (w) => services().nonConformances.completeDisposition(as<DispositionWrite>(w), requestId(w)),
    },
  });
}
