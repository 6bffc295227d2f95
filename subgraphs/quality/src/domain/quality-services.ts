import type { QualityLoaders } from "../loaders.ts";
import { AutomaticHoldService } from "./automatic-holds.ts";
import type { QualityDeps } from "./common.ts";
import { DecisionService } from "./decisions.ts";
import { GateService } from "./gates.ts";
import { HoldService } from "./holds.ts";
import { LineHoldService } from "./line-holds.ts";
import { LotQualityService } from "./lots.ts";
import { NonConformanceService } from "./non-conformances.ts";
import { RecallContainmentService } from "./recall-containment.ts";
import { SupplierHoldService } from "./supplier-holds.ts";

/** Quality's services, one per concern. */
export interface QualityServices {
  gates: GateService;
  decisions: DecisionService;
  holds: HoldService;
  supplierHolds: SupplierHoldService;
  lineHolds: LineHoldService;
  automaticHolds: AutomaticHoldService;
  recallContainment: RecallContainmentService;
  nonConformances: NonConformanceService;
  lots: LotQualityService;
}

/**
 * One request's services (see server.ts): thin wrappers over the dependencies built once at
 * startup (database, peer clients) and that request's loaders, so reads batch and cache within
 * the request and no signature carries the loaders.
 */
export function createQualityServices(deps: QualityDeps, loaders: QualityLoaders): QualityServices {
  const holds = new HoldService(deps);
  const supplierHolds = new SupplierHoldService(deps);
  return {
    gates: new GateService(deps, loaders),
    decisions: new DecisionService(deps, loaders),
    holds,
    supplierHolds,
    lineHolds: new LineHoldService(deps),
    automaticHolds: new AutomaticHoldService(deps),
    recallContainment: new RecallContainmentService(deps, holds, supplierHolds),
    nonConformances: new NonConformanceService(deps, loaders),
    lots: new LotQualityService(loaders),
  };
}
