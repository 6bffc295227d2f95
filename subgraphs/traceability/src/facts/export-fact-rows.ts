import type {
  GenealogyLot,
  Installation,
  LineFact,
  MaterialFact,
  PartyFact,
  RunFact,
  RunInput,
  RunOutputLot,
  ShipmentFact,
  ShipmentLot,
} from "../generated/prisma/client.ts";

/** A location of the plant's tree (site → area → line → bin), as the ship-from search walks it. */
export interface LocationNode {
  id: string;
  code: string | null;
  name: string | null;
  parentId: string | null;
}

/** Traceability's rows about the traced lots, as sql-export-facts.ts reads them for one export. */
export interface ExportFactRows {
  lots: GenealogyLot[];
  inputs: RunInput[];
  outputs: RunOutputLot[];
  /** The traced lots' shipment lines. */
  shipmentLines: ShipmentLot[];
  /** When each run transformed (see `SqlExportFacts`). */
  runTimes: Map<string, Date>;
  shipments: ShipmentFact[];
  installations: Installation[];
  /** The line and location of each run. */
  runPlaces: RunFact[];
  /** Where each line of the shipments left from, the untraced lines included. */
  shippedFrom: Array<{ shipmentId: string; fromLocationId: string | null }>;
  materials: MaterialFact[];
  /** The locations the facts name, with all their ancestors. */
  locationTree: Map<string, LocationNode>;
  lines: LineFact[];
  parties: PartyFact[];
}

/** The first rows read: those keyed by the traced lots. */
export type LotRows = Pick<ExportFactRows, "lots" | "inputs" | "outputs" | "shipmentLines"> & {
  serialIds: string[];
};

/** The rows read next, keyed by what the lot rows name (runs, shipments, serials, materials). */
export type RelatedRows = Pick<
  ExportFactRows,
  "runTimes" | "shipments" | "installations" | "runPlaces" | "shippedFrom" | "materials"
>;

/** shipment id → the locations its lines left from. */
export function locationsByShipment(shippedFrom: ExportFactRows["shippedFrom"]): Map<string, Set<string>> {
  const byShipment = new Map<string, Set<string>>();
  for (const l of shippedFrom) {
    if (l.fromLocationId === null) continue;
    const set = byShipment.get(l.shipmentId) ?? new Set<string>();
    set.add(l.fromLocationId);
    byShipment.set(l.shipmentId, set);
  }
  return byShipment;
}

/** The keys of the last rows read: the locations, lines and parties the facts refer to. */
export function referencedKeys(lotRows: LotRows, related: RelatedRows) {
  const { lots } = lotRows;
  const { runPlaces, shipments } = related;
  const lineIds = [...new Set(runPlaces.flatMap((r) => (r.lineId === null ? [] : [r.lineId])))];
  const locations = new Set<string>();
  for (const l of lots) if (l.locationId !== null && l.runId === null) locations.add(l.locationId);
  for (const r of runPlaces) if (r.locationId !== null) locations.add(r.locationId);
  for (const set of locationsByShipment(related.shippedFrom).values()) for (const id of set) locations.add(id);
  const partyIds = new Set<string>(shipments.map((s) => s.customerId));
  for (const l of lots) if (l.supplierId !== null) partyIds.add(l.supplierId);
  return { lineIds, locationIds: [...locations], partyIds: [...partyIds] };
}
