import type { LotAllocation } from "./allocate-exposure.ts";
import type { ExposureFlows } from "./exposure-reads.ts";
import type { CustomerExposureView, ExposureView, LotExposureView, SerialExposureView } from "./exposure-views.ts";
import { Rational } from "./rational.ts";

/** Where the genealogy has not seen a lot's receipt or production yet (as mass balance shows it). */
const UNKNOWN_UOM = "?";

interface ExposedLot {
  lotId: string;
  allocation: LotAllocation;
  quantity: Rational;
  uom: string;
}

/**
 * The `Exposure` a reader sees: every exposed lot with its share of source, its serials, each
 * customer's Σ fraction × quantity shipped per unit, and what the sources were. Every figure is
 * exact until here and rounded once, half to even, to 6 places (decision 0023).
 */
export function exposureReport(
  sourceLotIds: readonly string[],
  allocation: ReadonlyMap<string, LotAllocation>,
  flows: ExposureFlows,
): ExposureView {
  const lots = exposedLots(allocation, flows);
  const byId = new Map(lots.map((lot) => [lot.lotId, lot]));
  return {
    lots: lots.map(lotView),
    serials: serialViews(byId, flows),
    customers: customerViews(byId, flows),
    sourceQuantity: sourceQuantity(sourceLotIds.flatMap((lotId) => byId.get(lotId) ?? [])),
  };
}

/**
 * The exposed lots, the sources first and deepest last. A lot's quantity is what it was received
 * or produced as; until that event is seen, what its runs output of it.
 */
function exposedLots(allocation: ReadonlyMap<string, LotAllocation>, flows: ExposureFlows): ExposedLot[] {
  const rows = new Map(flows.lots.map((row) => [row.lotId, row]));
  const output = new Map<string, Rational>();
  for (const row of flows.runOutputs)
    if (row.quantity !== null)
      output.set(row.lotId, (output.get(row.lotId) ?? Rational.ZERO).plus(Rational.fromDecimal(row.quantity)));
  const lots = [...allocation].map(([lotId, lotAllocation]) => {
    const row = rows.get(lotId);
    return {
      lotId,
      allocation: lotAllocation,
      quantity: row?.quantity != null ? Rational.fromDecimal(row.quantity) : (output.get(lotId) ?? Rational.ZERO),
      uom: row?.uom ?? UNKNOWN_UOM,
    };
  });
  return lots.sort((a, b) => a.allocation.depth - b.allocation.depth || compareText(a.lotId, b.lotId));
}

function lotView(lot: ExposedLot): LotExposureView {
  return {
    lot: { id: lot.lotId },
    quantityOfSource: lot.allocation.fraction.times(lot.quantity).toFixed(6),
    fraction: lot.allocation.fraction.toFixed(6),
    quantity: lot.quantity.toFixed(6),
    uom: lot.uom,
    depth: lot.allocation.depth,
  };
}

/** In the lots' order, then by serial number. */
function serialViews(lots: ReadonlyMap<string, ExposedLot>, flows: ExposureFlows): SerialExposureView[] {
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
      fraction: lots.get(serial.lotId)!.allocation.fraction.toFixed(6),
    }));
}

/**
 * One entry per customer and unit (kg and ea do not add up), with the shipments that carried
 * exposed lots in that unit, oldest first; the most exposed first (exact figures compared).
 */
function customerViews(lots: ReadonlyMap<string, ExposedLot>, flows: ExposureFlows): CustomerExposureView[] {
  const entries = new Map<
    string,
    { customerId: string; uom: string; source: Rational; shipments: Map<string, Date> }
  >();
  for (const line of flows.shipments) {
    const lot = lots.get(line.lotId);
    if (!lot) continue;
    const key = `${line.customerId}\u0000${lot.uom}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { customerId: line.customerId, uom: lot.uom, source: Rational.ZERO, shipments: new Map() };
      entries.set(key, entry);
    }
    entry.source = entry.source.plus(lot.allocation.fraction.times(Rational.fromDecimal(line.quantity)));
    entry.shipments.set(line.shipmentId, line.shippedAt);
  }
  return [...entries.values()]
    .sort((a, b) => b.source.cmp(a.source) || compareText(a.customerId, b.customerId) || compareText(a.uom, b.uom))
    .map((entry) => ({
      customer: { id: entry.customerId },
      shipments: [...entry.shipments]
        .sort(([idA, atA], [idB, atB]) => atA.getTime() - atB.getTime() || compareText(idA, idB))
        .map(([id]) => ({ id })),
      quantityOfSource: entry.source.toFixed(6),
      uom: entry.uom,
    }));
}

/** What the source lots were received or produced as, per unit. */
function sourceQuantity(sources: readonly ExposedLot[]): ExposureView["sourceQuantity"] {
  const perUnit = new Map<string, Rational>();
  for (const lot of sources) perUnit.set(lot.uom, (perUnit.get(lot.uom) ?? Rational.ZERO).plus(lot.quantity));
  return [...perUnit]
    .sort(([a], [b]) => compareText(a, b))
    .map(([uom, quantity]) => ({ quantity: quantity.toFixed(6), uom }));
}

/** Code-point order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
