import type { ExposureView } from "../src/domain/exposure/exposure-views.ts";
import type { PlantRun, RandomPlant } from "./exposure-plants.ts";

/**
 * An exposure worked out another way than the service's, from what a test plant did (not from
 * the database): each lot's fraction is evaluated upstream, recursively and without memo, so the
 * evaluation walks every path from the lot back to the sources; the service goes downstream once
 * in topological order. The exposed set and depths come from a plain BFS over the plant's runs,
 * the arithmetic from pairs of bigints reduced here, the rounding from the 7th digit. Only the
 * model is shared: decision 0023, taken literally.
 */
export function oracleExposure(plant: RandomPlant, sourceLotIds: readonly string[] = plant.sources): ExposureView {
  const sources = new Set(sourceLotIds);
  const lots = new Map(plant.lots.map((lot) => [lot.lotId, lot]));
  const producers = new Map<string, PlantRun[]>();
  for (const run of plant.runs)
    for (const lotId of new Set(run.outputs.map((o) => o.lotId)))
      producers.set(lotId, [...(producers.get(lotId) ?? []), run]);

  let calls = 0;
  const fractionOf = (lotId: string): Fraction => {
    if (++calls > 5_000_000) throw new Error(`plant ${plant.seed} has too many paths for the oracle`);
    if (sources.has(lotId)) return ONE;
    let weighted = ZERO;
    let output = ZERO;
    for (const run of producers.get(lotId) ?? []) {
      const made = run.outputs.filter((o) => o.lotId === lotId).reduce((sum, o) => add(sum, parse(o.quantity)), ZERO);
      weighted = add(weighted, mul(shareOf(run), made));
      output = add(output, made);
    }
    return output.n === 0n ? ZERO : div(weighted, output);
  };
  /** The largest, over units, of Σ fraction × consumed / Σ consumed. */
  const shareOf = (run: PlantRun): Fraction => {
    const units = new Map<string, { consumed: Fraction; source: Fraction }>();
    for (const c of run.consumptions) {
      const uom = lots.get(c.lotId)!.uom;
      const sums = units.get(uom) ?? { consumed: ZERO, source: ZERO };
      units.set(uom, {
        consumed: add(sums.consumed, parse(c.quantity)),
        source: add(sums.source, mul(fractionOf(c.lotId), parse(c.quantity))),
      });
    }
    return [...units.values()].map((u) => div(u.source, u.consumed)).reduce((a, b) => (cmp(a, b) >= 0 ? a : b), ZERO);
  };

  const depths = bfsDepths(plant, sourceLotIds);
  const exposed = [...depths.keys()]
    .map((lotId) => ({ lot: lots.get(lotId)!, depth: depths.get(lotId)!, fraction: fractionOf(lotId) }))
    .sort((a, b) => a.depth - b.depth || (a.lot.lotId < b.lot.lotId ? -1 : 1));
  const fractions = new Map(exposed.map((e) => [e.lot.lotId, e.fraction]));

  const customers = new Map<string, { customerId: string; uom: string; source: Fraction; shipments: string[] }>();
  const shipments = [...plant.shipments].sort(
    (a, b) => Date.parse(a.shippedAt) - Date.parse(b.shippedAt) || (a.shipmentId < b.shipmentId ? -1 : 1),
  );
  for (const shipment of shipments)
    for (const line of shipment.lines) {
      const fraction = fractions.get(line.lotId);
      if (!fraction) continue;
      const uom = lots.get(line.lotId)!.uom;
      const key = `${shipment.customerId}/${uom}`;
      const entry = customers.get(key) ?? { customerId: shipment.customerId, uom, source: ZERO, shipments: [] };
      entry.source = add(entry.source, mul(fraction, parse(line.quantity)));
      if (!entry.shipments.includes(shipment.shipmentId)) entry.shipments.push(shipment.shipmentId);
      customers.set(key, entry);
    }

  const sourceUnits = new Map<string, Fraction>();
  for (const lotId of sources) {
    const lot = lots.get(lotId)!;
    sourceUnits.set(lot.uom, add(sourceUnits.get(lot.uom) ?? ZERO, parse(lot.quantity)));
  }
  return {
    lots: exposed.map(({ lot, depth, fraction }) => ({
      lot: { id: lot.lotId },
      quantityOfSource: round6(mul(fraction, parse(lot.quantity))),
      fraction: round6(fraction),
      quantity: round6(parse(lot.quantity)),
      uom: lot.uom,
      depth,
    })),
    serials: exposed.flatMap(({ lot, fraction }) =>
      [...lot.serials]
        .sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0))
        .map((serial) => ({ serial: { id: serial.id }, lot: { id: lot.lotId }, fraction: round6(fraction) })),
    ),
    customers: [...customers.values()]
      .sort(
        (a, b) =>
          cmp(b.source, a.source) ||
          (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.uom < b.uom ? -1 : 1),
      )
      .map((c) => ({
        customer: { id: c.customerId },
        shipments: c.shipments.map((id) => ({ id })),
        quantityOfSource: round6(c.source),
        uom: c.uom,
      })),
    sourceQuantity: [...sourceUnits]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([uom, quantity]) => ({ quantity: round6(quantity), uom })),
  };
}

/** Fewest runs from a source to each lot it reaches: a breadth-first walk over inputs → outputs. */
function bfsDepths(plant: RandomPlant, sources: readonly string[]): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const run of plant.runs)
    for (const input of run.consumptions)
      for (const output of run.outputs) children.set(input.lotId, [...(children.get(input.lotId) ?? []), output.lotId]);
  const depths = new Map(sources.map((lotId) => [lotId, 0]));
  let frontier = [...sources];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const lotId of frontier)
      for (const child of children.get(lotId) ?? [])
        if (!depths.has(child)) {
          depths.set(child, depth);
          next.push(child);
        }
    frontier = next;
  }
  return depths;
}

/** n / d, reduced, d > 0. */
interface Fraction {
  n: bigint;
  d: bigint;
}

const reduce = (n: bigint, d: bigint): Fraction => {
  let [a, b] = [n < 0n ? -n : n, d];
  while (b > 0n) [a, b] = [b, a % b];
  return a > 1n ? { n: n / a, d: d / a } : { n, d };
};
const ZERO: Fraction = { n: 0n, d: 1n };
const ONE: Fraction = { n: 1n, d: 1n };
const add = (x: Fraction, y: Fraction) => reduce(x.n * y.d + y.n * x.d, x.d * y.d);
const mul = (x: Fraction, y: Fraction) => reduce(x.n * y.n, x.d * y.d);
const div = (x: Fraction, y: Fraction) => reduce(x.n * y.d, x.d * y.n);
const cmp = (x: Fraction, y: Fraction) => Math.sign(Number(x.n * y.d - y.n * x.d));

/** "12.345" → 12345 / 1000. */
function parse(text: string): Fraction {
  const [whole, decimals = ""] = text.split(".");
  return reduce(BigInt(whole! + decimals), 10n ** BigInt(decimals.length));
}

/** A fraction ≥ 0 to 6 places, half to even, read off its first 7 decimals and what is left. */
function round6(x: Fraction): string {
  const seven = (x.n * 10_000_000n) / x.d;
  const exact = (x.n * 10_000_000n) % x.d === 0n;
  const digit = seven % 10n;
  let six = seven / 10n;
  if (digit > 5n || (digit === 5n && (!exact || six % 2n === 1n))) six += 1n;
  const digits = six.toString().padStart(7, "0");
  return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
}
