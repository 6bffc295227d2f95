import type { BaseContext } from "@lotgraph/kit";
import type { AutomaticHoldService } from "./domain/automatic-holds.ts";
import type { DecisionService } from "./domain/decisions.ts";
import type { GateService } from "./domain/gates.ts";
import type { HoldService } from "./domain/holds.ts";
import type { LineHoldService } from "./domain/line-holds.ts";
import type { LotQualityService } from "./domain/lots.ts";
import type { NonConformanceService } from "./domain/non-conformances.ts";
import type { SupplierHoldService } from "./domain/supplier-holds.ts";
import type { QualityLoaders } from "./loaders.ts";

/** Quality's services, one per concern. */
export interface QualityServices {
  gates: GateService;
  decisions: DecisionService;
  holds: HoldService;
  supplierHolds: SupplierHoldService;
  lineHolds: LineHoldService;
  automaticHolds: AutomaticHoldService;
  nonConformances: NonConformanceService;
  lots: LotQualityService;
}

export interface Context extends BaseContext {
  quality: QualityServices;
  loaders: QualityLoaders;
}
