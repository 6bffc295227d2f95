import type { MaterialFact, NamedFact, TraceFacts } from "../domain/exports/facts.ts";
import type { ExportFactsReads, TraceLotFacts } from "../domain/exports/trace-facts.ts";
import type { TraceabilityClient, TraceabilityTx } from "../database.ts";

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

    const lineIds = [...new Set(runPlaces.flatMap((r) => (r.lineId === null ? [] : [r.lineId])))];
    const locationsByShipment = new Map<string, Set<string>>();
    for (const l of shippedFrom) {
      if (l.fromLocationId === null) continue;
      const set = locationsByShipment.get(l.shipmentId) ?? new Set<string>();
      set.add(l.fromLocationId);
      locationsByShipment.set(l.shipmentId, set);
    }
    const referencedLocations = new Set<string>();
    for (const l of lots) if (l.locationId !== null && l.runId === null) referencedLocations.add(l.locationId);
    for (const r of runPlaces) if (r.locationId !== null) referencedLocations.add(r.locationId);
    for (const set of locationsByShipment.values()) for (const id of set) referencedLocations.add(id);
    const partyIds = new Set<string>(shipments.map((s) => s.customerId));
    for (const l of lots) if (l.supplierId !== null) partyIds.add(l.supplierId);

    const [locationTree, lines, parties] = await Promise.all([
      this.#locationsWithAncestors([...referencedLocations]),
      this.db.lineFact.findMany({ where: { lineId: { in: lineIds } } }),
      this.db.partyFact.findMany({ where: { partyId: { in: [...partyIds] } } }),
    ]);
    // The line a run ran on is where it happened; a run without one, or on a line whose name
    // traceability never learnt (created before line.created carried it), falls back to where it
    // put its output, a location of the plant's tree.
    const namedLines = new Set(lines.filter((l) => l.code !== null && l.name !== null).map((l) => l.lineId));
    const runPlace = new Map(
      runPlaces.map((r) => [
        r.runId,
        r.lineId !== null && (namedLines.has(r.lineId) || r.locationId === null) ? r.lineId : r.locationId,
      ]),
    );
    const fromLocation = new Map(
      [...locationsByShipment].map(([shipmentId, set]) => [shipmentId, commonLocation([...set], locationTree)]),
    );
    // Only the locations the facts name (ancestors were read to find a common ship-from).
    const namedLocations = new Set<string>([...runPlace.values(), ...fromLocation.values()].flatMap((id) => id ?? []));
    for (const l of lots) if (l.locationId !== null && l.runId === null) namedLocations.add(l.locationId);

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
        entry = {
          runId,
          at: (runTimes.get(runId) ?? new Date(0)).toISOString(),
          inputs: [],
          outputs: [],
          locationId: runPlace.get(runId) ?? null,
        };
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
        fromLocationId: fromLocation.get(s.shipmentId) ?? null,
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
      // Master data whose event predates the names (unknown) is left out: the builders show the id.
      materials: materials.flatMap((m): MaterialFact[] =>
        m.sku === null || m.name === null ? [] : [{ id: m.materialId, sku: m.sku, name: m.name }],
      ),
      locations: [
        ...[...locationTree.values()].filter((l) => namedLocations.has(l.id)).flatMap(named),
        // Lines are places too: a run's location is its line when it has one.
        ...lines.flatMap((l) => named({ id: l.lineId, code: l.code, name: l.name })),
      ],
      parties: parties.flatMap((p) => named({ id: p.partyId, code: p.code, name: p.name })),
    };
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

interface LocationNode {
  id: string;
  code: string | null;
  name: string | null;
  parentId: string | null;
}

function named(entry: { id: string; code: string | null; name: string | null }): NamedFact[] {
  return entry.code === null || entry.name === null ? [] : [{ id: entry.id, code: entry.code, name: entry.name }];
}

/**
 * One ship-from for lots that left from several places: the nearest location that contains them
 * all (the area or site), or null when the tree does not join them (unknown, rather than a guess).
 */
function commonLocation(locationIds: readonly string[], tree: ReadonlyMap<string, LocationNode>): string | null {
  const [first, ...rest] = locationIds;
  if (first === undefined) return null;
  if (rest.length === 0) return first;
  const chain = (id: string): string[] => {
    const path: string[] = [];
    const seen = new Set<string>();
    for (let at: string | null | undefined = id; at && !seen.has(at); at = tree.get(at)?.parentId) {
      seen.add(at);
      path.push(at);
    }
    return path;
  };
  const others = rest.map((id) => new Set(chain(id)));
  return chain(first).find((candidate) => others.every((set) => set.has(candidate))) ?? null;
}
