import type { MaterialFact, NamedFact, TraceFacts } from "../domain/exports/facts.ts";
import type { TraceLotFacts } from "../domain/exports/trace-facts.ts";
import { locationsByShipment, type ExportFactRows, type LocationNode } from "./export-fact-rows.ts";

/** One transformation, shipment or receipt line: a lot, its quantity and unit. */
type LotLine = TraceFacts["transformations"][number]["inputs"][number];

/** The export's facts from the rows read for the traced lots (pure: no database). */
export function assembleTraceFacts(rows: ExportFactRows): TraceLotFacts {
  const places = placesOf(rows);
  const lineOf = lotLines(rows);
  return {
    lots: rows.lots.map((l) => ({
      id: l.lotId,
      code: l.code ?? l.lotId,
      materialId: l.materialId,
      uom: l.uom ?? "",
      supplierLotCode: l.supplierLotCode,
      createdAt: l.createdAt.toISOString(),
      // Received: its supplier and where it arrived; made: where its run happened.
      origin:
        l.runId === null
          ? { supplierId: l.supplierId, locationId: l.locationId }
          : { supplierId: null, locationId: places.runPlace.get(l.runId) ?? null },
    })),
    receipts: receiptsOf(rows),
    transformations: transformationsOf(rows, places.runPlace, lineOf),
    shipments: shipmentsOf(rows, places.fromLocation, lineOf),
    aggregations: aggregationsOf(rows),
    ...masterDataOf(rows, places.namedLocations),
  };
}

/** Where runs happened, where shipments left from, and so which locations the facts name. */
function placesOf({ lots, runPlaces, lines, shippedFrom, locationTree }: ExportFactRows) {
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
    [...locationsByShipment(shippedFrom)].map(([shipmentId, set]) => [
      shipmentId,
      commonLocation([...set], locationTree),
    ]),
  );
  // Only the locations the facts name (ancestors were read to find a common ship-from).
  const namedLocations = new Set<string>([...runPlace.values(), ...fromLocation.values()].flatMap((id) => id ?? []));
  for (const l of lots) if (l.locationId !== null && l.runId === null) namedLocations.add(l.locationId);
  return { runPlace, fromLocation, namedLocations };
}

/** A lot's line in a run or shipment: the quantity recorded there, else the lot's own. */
function lotLines({ lots }: ExportFactRows) {
  const lotById = new Map(lots.map((l) => [l.lotId, l]));
  // A lot seen only through production's output event has no code or unit yet (lot.produced
  // brings them); the id and an empty unit keep the export whole rather than failing it.
  return (lotId: string, quantity: { toString(): string } | null): LotLine => ({
    lotId,
    quantity: (quantity ?? lotById.get(lotId)?.quantity ?? "").toString(),
    uom: lotById.get(lotId)?.uom ?? "",
  });
}

/** A receipt is a lot whose origin event was lot.received: it has one and no producing run. */
function receiptsOf({ lots }: ExportFactRows): TraceFacts["receipts"] {
  return lots.flatMap((l) =>
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
  );
}

function transformationsOf(
  { inputs, outputs, runTimes }: ExportFactRows,
  runPlace: ReadonlyMap<string, string | null>,
  lineOf: ReturnType<typeof lotLines>,
): TraceFacts["transformations"] {
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
  for (const i of inputs) run(i.runId).inputs.push(lineOf(i.lotId, i.quantity));
  for (const o of outputs) run(o.runId).outputs.push(lineOf(o.lotId, o.quantity));
  return [...transformations.values()];
}

function shipmentsOf(
  { shipments, shipmentLines }: ExportFactRows,
  fromLocation: ReadonlyMap<string, string | null>,
  lineOf: ReturnType<typeof lotLines>,
): TraceFacts["shipments"] {
  const linesByShipment = new Map<string, LotLine[]>();
  for (const l of shipmentLines) {
    linesByShipment.set(l.shipmentId, [...(linesByShipment.get(l.shipmentId) ?? []), lineOf(l.lotId, l.quantity)]);
  }
  return shipments.map((s) => ({
    shipmentId: s.shipmentId,
    // lot.shipped can arrive before shipment.created, which brings the reference.
    reference: s.reference ?? s.shipmentId,
    customerId: s.customerId,
    at: s.shippedAt.toISOString(),
    lines: linesByShipment.get(s.shipmentId) ?? [],
    fromLocationId: fromLocation.get(s.shipmentId) ?? null,
  }));
}

function aggregationsOf({ installations, lots }: ExportFactRows): TraceFacts["aggregations"] {
  const traced = new Set(lots.map((l) => l.lotId));
  return installations.flatMap((i) => {
    // A component lot outside the trace is not in `lots`; the builders would refuse it.
    const childLotId = i.componentLotId !== null && traced.has(i.componentLotId) ? i.componentLotId : null;
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
  });
}

/** Master data whose event predates the names (unknown) is left out: the builders show the id. */
function masterDataOf({ materials, locationTree, lines, parties }: ExportFactRows, namedLocations: Set<string>) {
  return {
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
