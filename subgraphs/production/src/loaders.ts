import { byId, keyedLoader } from "@lotgraph/kit";
import type DataLoader from "dataloader";
import type {
  BomComponentRecord,
  ConsumptionRecord,
  LineRecord,
  OutputRecord,
  PhaseRecord,
  RunPhaseRecord,
  RunRecord,
  WorkOrderRecord,
} from "./domain/records.ts";
import type { ProductionClient } from "./store/db.ts";
import * as flowStore from "./store/flow-store.ts";
import { findLines } from "./store/line-store.ts";
import * as runStore from "./store/run-store.ts";
import * as workOrderStore from "./store/work-order-store.ts";

/** Per-request batching of every lookup by key, `__resolveReference` included. */
export interface ProductionLoaders {
  line: DataLoader<string, LineRecord | null>;
  workOrder: DataLoader<string, WorkOrderRecord | null>;
  run: DataLoader<string, RunRecord | null>;
  phasesByWorkOrder: DataLoader<string, PhaseRecord[]>;
  componentsByWorkOrder: DataLoader<string, BomComponentRecord[]>;
  runsByWorkOrder: DataLoader<string, RunRecord[]>;
  phasesByRun: DataLoader<string, RunPhaseRecord[]>;
  consumptionsByRun: DataLoader<string, ConsumptionRecord[]>;
  outputsByRun: DataLoader<string, OutputRecord[]>;
  /** lot id → the id of the run that produced it, or null */
  producingRunId: DataLoader<string, string | null>;
  /** lot id → ids of the runs that consumed from it */
  consumingRunIds: DataLoader<string, string[]>;
}

export function createLoaders(db: ProductionClient): ProductionLoaders {
  return {
    line: keyedLoader(async (ids) => byId(await findLines(db, ids))),
    workOrder: keyedLoader(async (ids) => byId(await workOrderStore.findWorkOrders(db, ids))),
    run: keyedLoader(async (ids) => byId(await runStore.findRuns(db, ids))),
    phasesByWorkOrder: keyedLoader((ids) => workOrderStore.findPhases(db, ids), []),
    componentsByWorkOrder: keyedLoader((ids) => workOrderStore.findComponents(db, ids), []),
    runsByWorkOrder: keyedLoader((ids) => runStore.findRunsByWorkOrders(db, ids), []),
    phasesByRun: keyedLoader((ids) => runStore.findRunPhases(db, ids), []),
    consumptionsByRun: keyedLoader((ids) => flowStore.findConsumptionsByRuns(db, ids), []),
    outputsByRun: keyedLoader((ids) => flowStore.findOutputsByRuns(db, ids), []),
    producingRunId: keyedLoader((ids) => flowStore.findProducingRuns(db, ids)),
    consumingRunIds: keyedLoader((ids) => flowStore.findConsumingRuns(db, ids), []),
  };
}
