import { Quantity } from "@lotgraph/kit";
import type { ExposureFlows } from "./exposure-reads.ts";
import type { CustomerExposureView, ExposureView, LotExposureView, SerialExposureView } from "./exposure-views.ts";

/** Where the genealogy has not seen a lot's receipt or production yet (as mass balance shows it). */
const UNKNOWN_UOM = "?";

/**
 * A figure as shown: Σ fraction of lot × quantity (in millionths) over `terms`, rounded once,
 * half to even, to 6 places. A fraction alone is the term [lot, 1].
 */
export type ShownFigure = (terms: ReadonlyArray<readonly [lotId: string, micros: bigint]>) => string;

const ONE_UNIT = 1_000_000n;

interface ExposedLot {
  lotId: string;
  depth: number;
  quantity: Quantity;
  uom: string;
}

/**
 * The `Exposure` a reader sees: every exposed lot with its share of source, its serials, each
 * customer's Σ fraction × quantity shipped per unit, and what the sources were. `depths` holds
 * every exposed lot; `shown` turns fractions into the figures printed.
 */
export function exposureReport(
  sourceLotIds: readonly string[],
  depths: ReadonlyMap<string, number>,
  flows: ExposureFlows,
  shown: ShownFigure,
): ExposureView {
  const lots = exposedLots(depths, flows);
  const byId = new Map(lots.map((lot) => [lot.lotId, lot]));
  return {
    lots: lots.map((lot) => lotView(lot, shown)),
    serials: serialViews(byId, flows, shown),
    customers: customerViews(byId, flows, shown),
    sourceQuantity: sourceQuantity(sourceLotIds.flatMap((lotId) => byId.get(lotId) ?? [])),
  };
}

/**
 * The exposed lots, the sources first and deepest last. A lot's quantity is what it was received
 * or produced as; until that event is seen, what its runs output of it.
 */
function exposedLots(depths: ReadonlyMap<string, number>, flows: ExposureFlows): ExposedLot[] {
  const rows = new Map(flows.lots.map((row) => [row.lotId, row]));
  const output = new Map<string, Quantity>();
  for (const row of flows.runOutputs)
    if (row.quantity !== null) output.set(row.lotId, (output.get(row.lotId) ?? Quantity.ZERO).plus(row.quantity));
  const lots = [...depths].map(([lotId, depth]) => {
    const row = rows.get(lotId);
    return {
      lotId,
      depth,
      quantity: row?.quantity != null ? Quantity.of(row.quantity) : (output.get(lotId) ?? Quantity.ZERO),
      uom: row?.uom ?? UNKNOWN_UOM,
    };
  });
  return lots.sort((a, b) => a.depth - b.depth || compareText(a.lotId, b.lotId));
}

function lotView(lot: ExposedLot, shown: ShownFigure): LotExposureView {
  return {
    lot: { id: lot.lotId },
    quantityOfSource: shown([[lot.lotId, lot.quantity.micros]]),
    fraction: shown([[lot.lotId, ONE_UNIT]]),
    quantity: lot.quantity.toFixed(6),
    uom: lot.uom,
    depth: lot.depth,
  };
}

/** In the lots' order, then by serial number. */
function serialViews(
  lots: ReadonlyMap<string, ExposedLot>,
  flows: ExposureFlows,
  shown: ShownFigure,
): SerialExposureView[] {
  const order = new Map([...lots.keys()].map((lotId, index) => [lotId, index]));
  return flows.serials
    .filter((serial) => lots.has(serial.lotId))
    .sort(
      (a, b) =>
        order.get(a.lotId)! - order.get(b.lotId)! ||
        compareText(a.serialNumber, b.serialNumber) ||
        compareText(a.serialId, b.serialId),
    )
    .map((serial) => ({
      serial: { id: serial.serialId },
      lot: { id: serial.lotId },
      fraction: shown([[serial.lotId, ONE_UNIT]]),
    }));
}

/**
 * One entry per customer and unit (kg and ea do not add up), with the shipments that carried
 * exposed lots in that unit, oldest first; the most exposed first by the figure shown, then by
 * customer and unit, so equal figures keep one order.
 */
function customerViews(
  lots: ReadonlyMap<string, ExposedLot>,
  flows: ExposureFlows,
  shown: ShownFigure,
): CustomerExposureView[] {
  const entries = new Map<
    string,
    { customerId: string; uom: string; terms: Array<[string, bigint]>; shipments: Map<string, Date> }
  >();
  for (const line of flows.shipments) {
    const lot = lots.get(line.lotId);
    if (!lot) continue;
    const key = `${line.customerId}\u0000${lot.uom}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { customerId: line.customerId, uom: lot.uom, terms: [], shipments: new Map() };
      entries.set(key, entry);
    }
    entry.terms.push([line.lotId, Quantity.of(line.quantity).micros]);
    entry.shipments.set(line.shipmentId, line.shippedAt);
  }
  return [...entries.values()]
    .map((entry) => ({ ...entry, quantityOfSource: shown(entry.terms) }))
    .sort(
      (a, b) =>
        Quantity.of(b.quantityOfSource).cmp(a.quantityOfSource) ||
        compareText(a.customerId, b.customerId) ||
        compareText(a.uom, b.uom),
    )
    .map((entry) => ({
      customer: { id: entry.customerId },
      shipments: [...entry.shipments]
        .sort(([idA, atA], [idB, atB]) => atA.getTime() - atB.getTime() || compareText(idA, idB))
        .map(([id]) => ({ id })),
      quantityOfSource: entry.quantityOfSource,
      uom: entry.uom,
    }));
}

/** What the source lots were received or produced as, per unit. */
function sourceQuantity(sources: readonly ExposedLot[]): ExposureView["sourceQuantity"] {
  const perUnit = new Map<string, Quantity>();
  for (const lot of sources) perUnit.set(lot.uom, (perUnit.get(lot.uom) ?? Quantity.ZERO).plus(lot.quantity));
  return [...perUnit]
    .sort(([a], [b]) => compareText(a, b))
    .map(([uom, quantity]) => ({ quantity: quantity.toFixed(6), uom }));
}

/** Code-point order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
