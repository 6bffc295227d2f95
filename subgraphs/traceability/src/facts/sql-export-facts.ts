import type { ExportFactsReads, TraceLotFacts } from "../domain/exports/trace-facts.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";
import {
  referencedKeys,
  type ExportFactRows,
  type LocationNode,
  type LotRows,
  type RelatedRows,
} from "./export-fact-rows.ts";
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
    const { lineIds, locationIds, partyIds } = referencedKeys(lotRows, related);
    const [locationTree, lines, parties] = await Promise.all([
      this.#locationsWithAncestors(locationIds),
      this.db.lineFact.findMany({ where: { lineId: { in: lineIds } } }),
      this.db.partyFact.findMany({ where: { partyId: { in: partyIds } } }),
    ]);
    const rows: ExportFactRows = { ...lotRows, ...related, locationTree, lines, parties };
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
      this.#runTimes(runIds),
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

  /**
   * The given locations and all their ancestors, in one recursive query (the tree is site → area
   * → line → bin, so a few levels; the bound only guards against a malformed tree).
   */
  async #locationsWithAncestors(locationIds: readonly string[]): Promise<Map<string, LocationNode>> {
    if (locationIds.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<
      Array<{ id: string; code: string | null; name: string | null; parent_id: string | null }>
    >(
      `WITH RECURSIVE up(id, depth) AS (
         SELECT location_id, 0 FROM location_fact WHERE location_id = ANY($1::uuid[])
         UNION
         SELECT l.parent_id, up.depth + 1 FROM up JOIN location_fact l ON l.location_id = up.id
          WHERE l.parent_id IS NOT NULL AND up.depth < 16)
       SELECT DISTINCT l.location_id::text AS id, l.code, l.name, l.parent_id::text AS parent_id
         FROM up JOIN location_fact l ON l.location_id = up.id`,
      [...locationIds],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, parentId: r.parent_id }]));
  }

  /**
   * When each run transformed: its first output record, else its first consumption (a run with
   * inputs only so far). Over the whole run, not just the traced lots, so every trace that shows
   * a run shows it at the same time.
   */
  async #runTimes(runIds: readonly string[]): Promise<Map<string, Date>> {
    if (runIds.length === 0) return new Map();
    const rows = await this.db.$queryRawUnsafe<Array<{ run_id: string; at: Date | null }>>(
      `SELECT r.run_id::text AS run_id,
              COALESCE((SELECT min(o.recorded_at) FROM run_output_lot o WHERE o.run_id = r.run_id),
                       (SELECT min(c.consumed_at) FROM run_consumption c WHERE c.run_id = r.run_id)) AS at
         FROM unnest($1::uuid[]) AS r(run_id)`,
      [...runIds],
    );
    return new Map(rows.flatMap((r) => (r.at === null ? [] : [[r.run_id, new Date(r.at)] as const])));
  }
}
