import type { ExportFactsReads, TraceLotFacts } from "../domain/exports/trace-facts.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";
import type { ExportFactRows, LotRows, RelatedRows } from "./export-fact-rows.ts";
import { masterDataRows, runTimes as runTimesOf } from "./export-fact-lookups.ts";
import { assembleTraceFacts } from "./trace-facts-assembly.ts";

/**
 * The rows an export needs for a set of traced lots, read from traceability's own tables (both
 * modes keep them in SQL, beside whichever genealogy store walks the graph). A fixed number of
 * batched queries whatever the size of the trace: no per-lot or per-run round trips. Three
 * rounds, each keyed by what the one before found; trace-facts-assembly.ts turns them into facts.
 */
export class SqlExportFacts implements ExportFactsReads {
  constructor(private readonly db: TraceabilityClient | TraceabilityTx) {}

  async factsOfLots(lotIds: readonly string[]): Promise<TraceLotFacts> {
    const ids = [...lotIds];
    const lotRows = await this.#lotRows(ids);
    const related = await this.#relatedRows(ids, lotRows);
    const rows: ExportFactRows = { ...lotRows, ...related, ...(await masterDataRows(this.db, lotRows, related)) };
    return assembleTraceFacts(rows);
  }

  /** The rows keyed by the traced lots themselves. */
  async #lotRows(ids: string[]): Promise<LotRows> {
    const [lots, inputs, outputs, shipmentLines, serials] = await Promise.all([
      this.db.genealogyLot.findMany({ where: { lotId: { in: ids } } }),
      this.db.runInput.findMany({ where: { lotId: { in: ids } } }),
      this.db.runOutputLot.findMany({ where: { lotId: { in: ids } } }),
      this.db.shipmentLot.findMany({ where: { lotId: { in: ids } } }),
      this.db.serialFact.findMany({ where: { lotId: { in: ids } }, select: { serialId: true } }),
    ]);
    return { lots, inputs, outputs, shipmentLines, serialIds: serials.map((s) => s.serialId) };
  }

  /** The runs, shipments, installations and materials the lot rows (of lots `ids`) name. */
  async #relatedRows(
    ids: string[],
    { lots, inputs, outputs, shipmentLines, serialIds }: LotRows,
  ): Promise<RelatedRows> {
    const runIds = [...new Set([...inputs, ...outputs].map((r) => r.runId))];
    const shipmentIds = [...new Set(shipmentLines.map((l) => l.shipmentId))];
    const materialIds = [...new Set(lots.map((l) => l.materialId))];
    const [runTimes, shipments, installations, runPlaces, shippedFrom, materials] = await Promise.all([
      runTimesOf(this.db, runIds),
      this.db.shipmentFact.findMany({ where: { shipmentId: { in: shipmentIds } } }),
      this.db.installation.findMany({
        where: {
          OR: [
            { parentSerialId: { in: serialIds } },
            { componentSerialId: { in: serialIds } },
            { componentLotId: { in: ids } },
          ],
        },
      }),
      this.db.runFact.findMany({ where: { runId: { in: runIds } } }),
      // Every line of each shipment, not only the traced ones: its ship-from is the shipment's.
      this.db.shipmentLot.findMany({
        where: { shipmentId: { in: shipmentIds }, fromLocationId: { not: null } },
        select: { shipmentId: true, fromLocationId: true },
      }),
      this.db.materialFact.findMany({ where: { materialId: { in: materialIds } } }),
    ]);
    return { runTimes, shipments, installations, runPlaces, shippedFrom, materials };
  }
}
