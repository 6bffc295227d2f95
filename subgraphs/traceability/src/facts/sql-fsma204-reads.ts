import type { TraceabilityClient, TraceabilityTx } from "../database.ts";
import type { TraceLotFacts } from "../domain/exports/facts.ts";
import type { Fsma204Reads } from "../domain/exports/fsma204-selection.ts";
import type { BoundedRange, EventDay } from "../domain/exports/fsma204-window.ts";
import type { ExportFactRows, LotRows, RelatedRows } from "./export-fact-rows.ts";
import { masterDataRows } from "./export-fact-lookups.ts";
import {
  PRODUCT_EVENT_DAYS_SQL,
  PRODUCT_RECEIPTS_SQL,
  PRODUCT_RUNS_SQL,
  PRODUCT_SHIPMENT_LINES_SQL,
} from "./product-event-queries.ts";
import { assembleTraceFacts } from "./trace-facts-assembly.ts";

/**
 * The FSMA 204 spreadsheet's reads beyond a trace, on traceability's own tables (SQL in both
 * modes). A product's events are read one span at a time, each in a fixed number of batched
 * queries keyed by what the one before found, like `SqlExportFacts`.
 */
export class SqlFsma204Reads implements Fsma204Reads {
  constructor(private readonly db: TraceabilityClient | TraceabilityTx) {}

  /** Known from material.created, or, for history older than that event, from a lot of it. */
  async product(materialId: string): Promise<{ sku: string | null } | null> {
    const material = await this.db.materialFact.findUnique({ where: { materialId }, select: { sku: true } });
    if (material !== null) return material;
    const lot = await this.db.genealogyLot.findFirst({ where: { materialId }, select: { lotId: true } });
    return lot === null ? null : { sku: null };
  }

  async receivedLots(supplierLotCode: string, materialId: string | null): Promise<string[]> {
    const lots = await this.db.genealogyLot.findMany({
      where: { supplierLotCode, runId: null, ...(materialId === null ? {} : { materialId }) },
      select: { lotId: true },
      orderBy: { lotId: "asc" },
    });
    return lots.map((l) => l.lotId);
  }

  async productEventDays(materialId: string, span: BoundedRange): Promise<EventDay[]> {
    return this.db.$queryRawUnsafe<EventDay[]>(PRODUCT_EVENT_DAYS_SQL, materialId, span.from, span.to);
  }

  async productEvents(materialId: string, span: BoundedRange): Promise<TraceLotFacts> {
    const params = [materialId, span.from, span.to] as const;
    const [received, runs, lines] = await Promise.all([
      this.db.$queryRawUnsafe<Array<{ lot_id: string }>>(PRODUCT_RECEIPTS_SQL, ...params),
      this.db.$queryRawUnsafe<Array<{ run_id: string; at: Date }>>(PRODUCT_RUNS_SQL, ...params),
      this.db.$queryRawUnsafe<Array<{ shipment_id: string; lot_id: string }>>(PRODUCT_SHIPMENT_LINES_SQL, ...params),
    ]);
    const receivedIds = new Set(received.map((r) => r.lot_id));
    const runIds = runs.map((r) => r.run_id);
    const shipmentIds = [...new Set(lines.map((l) => l.shipment_id))];
    const [inputs, allOutputs, shipmentLines, shipments, shippedFrom] = await Promise.all([
      this.db.runInput.findMany({ where: { runId: { in: runIds } } }),
      this.db.runOutputLot.findMany({ where: { runId: { in: runIds } } }),
      // Every line of these shipments carrying a lot of the product is one of `lines`.
      this.db.shipmentLot.findMany({
        where: { shipmentId: { in: shipmentIds }, lotId: { in: [...new Set(lines.map((l) => l.lot_id))] } },
      }),
      this.db.shipmentFact.findMany({ where: { shipmentId: { in: shipmentIds } } }),
      // Every line of each shipment, not only the product's: its ship-from is the shipment's.
      this.db.shipmentLot.findMany({
        where: { shipmentId: { in: shipmentIds }, fromLocationId: { not: null } },
        select: { shipmentId: true, fromLocationId: true },
      }),
    ]);
    const named = new Set([...receivedIds, ...inputs, ...allOutputs, ...shipmentLines].map(lotIdOf));
    const allLots = await this.db.genealogyLot.findMany({ where: { lotId: { in: [...named] } } });
    const outputs = outputsOfProduct(materialId, allLots, inputs, allOutputs);
    const shown = new Set([...receivedIds, ...inputs, ...outputs, ...shipmentLines].map(lotIdOf));
    const lots = allLots.filter((l) => shown.has(l.lotId));

    // The run that made each lot too: its place is the TLC source of a lot made before the span.
    const placeRunIds = [...new Set([...runIds, ...lots.flatMap((l) => (l.runId === null ? [] : [l.runId]))])];
    const [runPlaces, materials] = await Promise.all([
      this.db.runFact.findMany({ where: { runId: { in: placeRunIds } } }),
      this.db.materialFact.findMany({ where: { materialId: { in: [...new Set(lots.map((l) => l.materialId))] } } }),
    ]);
    const lotRows: LotRows = { lots, inputs, outputs, shipmentLines, serialIds: [] };
    const related: RelatedRows = {
      runTimes: new Map(runs.map((r) => [r.run_id, new Date(r.at)])),
      shipments,
      installations: [],
      runPlaces,
      shippedFrom,
      materials,
    };
    const rows: ExportFactRows = { ...lotRows, ...related, ...(await masterDataRows(this.db, lotRows, related)) };
    const facts = assembleTraceFacts(rows);
    // Lots received before the span, or co-inputs of a run, are shown without their receipt.
    return { ...facts, receipts: facts.receipts.filter((r) => receivedIds.has(r.lotId)) };
  }
}

const lotIdOf = (row: string | { lotId: string }) => (typeof row === "string" ? row : row.lotId);

/**
 * The outputs a product's run shows: all of them when it consumed the product (each output's
 * transformation used it), else only its outputs of the product (a co-product is not its event).
 */
function outputsOfProduct<O extends { runId: string; lotId: string }>(
  materialId: string,
  lots: ReadonlyArray<{ lotId: string; materialId: string }>,
  inputs: ReadonlyArray<{ runId: string; lotId: string }>,
  outputs: readonly O[],
): O[] {
  const ofProduct = new Set(lots.filter((l) => l.materialId === materialId).map((l) => l.lotId));
  const consumedProduct = new Set(inputs.filter((i) => ofProduct.has(i.lotId)).map((i) => i.runId));
  return outputs.filter((o) => consumedProduct.has(o.runId) || ofProduct.has(o.lotId));
}
