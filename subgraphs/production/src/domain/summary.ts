import { Quantity } from "@lotgraph/kit";
import type { ConsumptionRecord, OutputRecord, WorkOrderRecord } from "./records.ts";

export interface MaterialQuantity {
  material: { id: string };
  quantity: string;
  lotCount: number;
}

export interface MaterialYield {
  material: { id: string };
  planned: string;
  actual: string;
  yield: string;
}

export interface RunSummary {
  inputs: MaterialQuantity[];
  outputs: MaterialQuantity[];
  yields: MaterialYield[];
}

/** A run's mass balance: see `RunSummary` in schema.graphql for the definitions. */
export function summarize(
  consumptions: readonly ConsumptionRecord[],
  outputs: readonly OutputRecord[],
  workOrder: WorkOrderRecord,
): RunSummary {
  const inputs = perMaterial(consumptions);
  const produced = perMaterial(outputs);
  const planned = Quantity.of(workOrder.plannedQuantity);
  return {
    inputs,
    outputs: produced,
    yields: produced.map((output) => ({
      material: output.material,
      planned: planned.toFixed(),
      actual: output.quantity,
      yield: Quantity.of(output.quantity).ratio(planned),
    })),
  };
}

function perMaterial(
  records: ReadonlyArray<{ materialId: string; lotId: string; quantity: string }>,
): MaterialQuantity[] {
  const totals = new Map<string, { quantity: Quantity; lots: Set<string> }>();
  for (const record of records) {
    const total = totals.get(record.materialId) ?? { quantity: Quantity.ZERO, lots: new Set<string>() };
    total.quantity = total.quantity.plus(record.quantity);
    total.lots.add(record.lotId);
    totals.set(record.materialId, total);
  }
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([materialId, total]) => ({
      material: { id: materialId },
      quantity: total.quantity.toFixed(),
      lotCount: total.lots.size,
    }));
}
