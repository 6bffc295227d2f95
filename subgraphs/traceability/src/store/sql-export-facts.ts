import type { TraceFacts } from "../domain/exports/facts.ts";
import type { ExportFactsReads, TraceLotFacts } from "../domain/exports/trace-facts.ts";
import type { TraceabilityClient, TraceabilityTx } from "./sql-genealogy-store.ts";

/**
 * The rows an export needs for a set of traced lots, read from traceability's own tables (both
 * modes keep them in SQL, beside whichever genealogy store walks the graph). A fixed number of
 * batched queries whatever the size of the trace: no per-lot or per-run round trips.
 */
export class SqlExportFacts implements ExportFactsReads {
  constructor(private readonly db: TraceabilityClient | TraceabilityTx) {}

  async factsOfLots(lotIds: readonly string[]): Promise<TraceLotFacts> {
    const ids = [...lotIds];
    const [lots, inputs, outputs, shipmentLines, serials] = await Promise.all([
      this.db.genealogyLot.findMany({ where: { lotId: { in: ids } } }),
      this.db.runInput.findMany({ where: { lotId: { in: ids } } }),
      this.db.runOutputLot.findMany({ where: { lotId: { in: ids } } }),
      this.db.shipmentLot.findMany({ where: { lotId: { in: ids } } }),
      this.db.serialFact.findMany({ where: { lotId: { in: ids } }, select: { serialId: true } }),
    ]);
    const runIds = [...new Set([...inputs, ...outputs].map((r) => r.runId))];
    const shipmentIds = [...new Set(shipmentLines.map((l) => l.shipmentId))];
    const serialIds = serials.map((s) => s.serialId);
    const [runTimes, shipments, installations] = await Promise.all([
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
    ]);

    const lotById = new Map(lots.map((l) => [l.lotId, l]));
    // A lot seen only through production's output event has no code or unit yet (lot.produced
    // brings them); the id and an empty unit keep the export whole rather than failing it.
    const uomOf = (lotId: string) => lotById.get(lotId)?.uom ?? "";
    const line = (lotId: string, quantity: { toString(): string } | null) => ({
      lotId,
      quantity: (quantity ?? lotById.get(lotId)?.quantity ?? "").toString(),
      uom: uomOf(lotId),
    });

    const transformations = new Map<string, TraceFacts["transformations"][number]>();
    const run = (runId: string) => {
      let entry = transformations.get(runId);
      if (!entry) {
        entry = { runId, at: (runTimes.get(runId) ?? new Date(0)).toISOString(), inputs: [], outputs: [] };
        transformations.set(runId, entry);
      }
      return entry;
    };
    for (const i of inputs) run(i.runId).inputs.push(line(i.lotId, i.quantity));
    for (const o of outputs) run(o.runId).outputs.push(line(o.lotId, o.quantity));

    const linesByShipment = new Map<string, TraceFacts["shipments"][number]["lines"]>();
    for (const l of shipmentLines) {
      linesByShipment.set(l.shipmentId, [...(linesByShipment.get(l.shipmentId) ?? []), line(l.lotId, l.quantity)]);
    }

    return {
      lots: lots.map((l) => ({
        id: l.lotId,
        code: l.code ?? l.lotId,
        materialId: l.materialId,
        uom: l.uom ?? "",
        supplierLotCode: l.supplierLotCode,
        createdAt: l.createdAt.toISOString(),
      })),
      // A receipt is a lot whose origin event was lot.received: it has one and no producing run.
      receipts: lots.flatMap((l) =>
        l.originEventId === null || l.runId !== null
          ? []
          : [
              {
                eventId: l.originEventId,
                lotId: l.lotId,
                quantity: (l.quantity ?? "").toString(),
                uom: l.uom ?? "",
                at: l.createdAt.toISOString(),
                locationId: l.locationId,
                supplierId: l.supplierId,
              },
            ],
      ),
      transformations: [...transformations.values()],
      shipments: shipments.map((s) => ({
        shipmentId: s.shipmentId,
        // lot.shipped can arrive before shipment.created, which brings the reference.
        reference: s.reference ?? s.shipmentId,
        customerId: s.customerId,
        at: s.shippedAt.toISOString(),
        lines: linesByShipment.get(s.shipmentId) ?? [],
      })),
      aggregations: installations.flatMap((i) => {
        // A component lot outside the trace is not in `lots`; the builders would refuse it.
        const childLotId = i.componentLotId !== null && lotById.has(i.componentLotId) ? i.componentLotId : null;
        const base = {
          installationId: i.installationId,
          parentSerialId: i.parentSerialId,
          childSerialId: i.componentSerialId,
          childLotId,
        };
        const added = { ...base, at: i.installedAt.toISOString(), action: "ADD" as const };
        return i.removedAt === null
          ? [added]
          : [added, { ...base, at: i.removedAt.toISOString(), action: "DELETE" as const }];
      }),
    };
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
