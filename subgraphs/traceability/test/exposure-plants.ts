import { randomUUID } from "node:crypto";
import { Quantity, SUBJECTS, type BusMessage } from "@lotgraph/kit";
import type { ExposureReads } from "../src/domain/exposure/index.ts";

/**
 * Random plants for the exposure oracle: received lots in mixed units, runs that split, merge,
 * consume partly (or one lot in two consumptions), output a lot in two records or a lot an
 * earlier run output too, several levels deep, and shipments to several customers. Seeded: the
 * same seed makes the same plant (ids aside), so a failure names the seed that shows it.
 */
export interface RandomPlant {
  seed: number;
  lots: PlantLot[];
  runs: PlantRun[];
  shipments: PlantShipment[];
  /** Where the exposure starts: received lots (as a supplier lot code reaches them) or any one lot. */
  sources: string[];
  /** The events inventory and production would publish for all of it, in order. */
  events: BusMessage[];
}

export interface PlantLot {
  lotId: string;
  uom: string;
  /** Received or produced (over every output record of every run), a decimal string. */
  quantity: string;
  received: boolean;
  serials: Array<{ id: string; serialNumber: string }>;
}

export interface PlantRun {
  runId: string;
  /** One entry per consumption event; a lot may appear twice. */
  consumptions: Array<{ lotId: string; quantity: string }>;
  /** One entry per output record; a lot may appear twice. */
  outputs: Array<{ lotId: string; quantity: string }>;
}

export interface PlantShipment {
  shipmentId: string;
  customerId: string;
  shippedAt: string;
  lines: Array<{ lotId: string; quantity: string }>;
}

const UNITS = ["kg", "kg", "L", "ea"] as const;
const MATERIAL: Record<string, string> = {
  kg: "00000000-0000-4000-8000-0000000000a1",
  L: "00000000-0000-4000-8000-0000000000a2",
  ea: "00000000-0000-4000-8000-0000000000a3",
};

/** mulberry32: a small, well-mixed 32-bit PRNG; plenty for test data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Thousandths → decimal text ("12.345"). */
const text = (milli: number) => `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, "0")}`;

export function randomPlant(seed: number): RandomPlant {
  const random = prng(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (p: number) => random() < p;
  /** A quantity in thousandths, whole units for ea. */
  const amount = (uom: string, low: number, high: number) =>
    uom === "ea"
      ? int(Math.max(1, Math.ceil(low / 1000)), Math.max(1, Math.floor(high / 1000))) * 1000
      : int(low, high);
  const shuffled = <T>(items: T[]) => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  };

  const lots = new Map<string, PlantLot & { milli: number; remaining: number; producedBy: Set<string> }>();
  const runs: PlantRun[] = [];
  const children = new Map<string, Set<string>>();
  const descendantsOf = (lotId: string) => {
    const seen = new Set<string>();
    const queue = [lotId];
    for (let at = queue.pop(); at !== undefined; at = queue.pop())
      for (const child of children.get(at) ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        queue.push(child);
      }
    return seen;
  };
  const newLot = (uom: string, milli: number, received: boolean) => {
    const lotId = randomUUID();
    lots.set(lotId, {
      lotId,
      uom,
      quantity: "",
      milli,
      remaining: milli,
      received,
      serials: [],
      producedBy: new Set(),
    });
    return lots.get(lotId)!;
  };

  for (let i = int(3, 6); i > 0; i--) {
    const uom = pick(UNITS);
    newLot(uom, amount(uom, 5_000, 500_000), true);
  }
  for (let r = int(4, 12); r > 0; r--) {
    const stocked = [...lots.values()].filter((lot) => lot.remaining > 0);
    if (stocked.length === 0) break;
    const run: PlantRun = { runId: randomUUID(), consumptions: [], outputs: [] };
    const inputs = shuffled(stocked).slice(0, int(1, Math.min(4, stocked.length)));
    for (const lot of inputs) {
      const whole = lot.uom === "ea" ? 1000 : 1;
      const units = lot.remaining / whole;
      const consumed = (chance(0.3) ? units : int(1, units)) * whole;
      lot.remaining -= consumed;
      const first = consumed >= 2 * whole && chance(0.2) ? int(1, consumed / whole - 1) * whole : consumed;
      run.consumptions.push({ lotId: lot.lotId, quantity: text(first) });
      if (first < consumed) run.consumptions.push({ lotId: lot.lotId, quantity: text(consumed - first) });
    }
    const outputs = Array.from({ length: int(1, 3) }, () => {
      const uom = chance(0.7) ? inputs[0]!.uom : pick(UNITS);
      return { lot: newLot(uom, 0, false), milli: amount(uom, 1_000, 300_000) };
    });
    // A lot an earlier run output, when linking it to this run's inputs closes no cycle.
    const earlier = [...lots.values()].filter((lot) => lot.producedBy.size > 0);
    if (earlier.length > 0 && chance(0.3)) {
      const lot = pick(earlier);
      const below = descendantsOf(lot.lotId);
      if (!inputs.some((input) => input.lotId === lot.lotId || below.has(input.lotId)))
        outputs.push({ lot, milli: amount(lot.uom, 1_000, 100_000) });
    }
    for (const { lot, milli } of outputs) {
      lot.milli += milli;
      lot.remaining += milli;
      lot.producedBy.add(run.runId);
      const whole = lot.uom === "ea" ? 1000 : 1;
      const first = milli >= 2 * whole && chance(0.2) ? int(1, milli / whole - 1) * whole : milli;
      run.outputs.push({ lotId: lot.lotId, quantity: text(first) });
      if (first < milli) run.outputs.push({ lotId: lot.lotId, quantity: text(milli - first) });
      for (const input of inputs) children.set(input.lotId, (children.get(input.lotId) ?? new Set()).add(lot.lotId));
    }
    runs.push(run);
  }
  for (const lot of lots.values()) {
    lot.quantity = text(lot.milli);
    if (!lot.received && lot.uom === "ea" && chance(0.4))
      lot.serials = Array.from({ length: int(1, 3) }, (_, i) => ({ id: randomUUID(), serialNumber: `SN-${i + 1}` }));
  }

  const customers = [randomUUID(), randomUUID(), randomUUID()];
  let clock = Date.parse("2026-02-01T06:00:00.000Z");
  const shipments: PlantShipment[] = [];
  for (let s = int(2, 6); s > 0; s--) {
    const stocked = shuffled([...lots.values()].filter((lot) => lot.remaining > 0)).slice(0, int(1, 3));
    if (stocked.length === 0) break;
    const lines = stocked.map((lot) => {
      const whole = lot.uom === "ea" ? 1000 : 1;
      const shipped = int(1, lot.remaining / whole) * whole;
      lot.remaining -= shipped;
      return { lotId: lot.lotId, quantity: text(shipped) };
    });
    shipments.push({
      shipmentId: randomUUID(),
      customerId: pick(customers),
      shippedAt: new Date((clock += int(1, 5) * 60_000)).toISOString(),
      lines,
    });
  }

  const all = [...lots.values()];
  const received = all.filter((lot) => lot.received);
  const sources = chance(0.6)
    ? shuffled(received)
        .slice(0, int(1, 2))
        .map((l) => l.lotId)
    : [pick(all).lotId];
  const plantLots = all.map(({ lotId, uom, quantity, received: isReceived, serials }) => ({
    lotId,
    uom,
    quantity,
    received: isReceived,
    serials,
  }));
  return {
    seed,
    lots: plantLots,
    runs,
    shipments,
    sources,
    events: plantEvents(plantLots, runs, shipments, shuffled),
  };
}

/** The events of a plant: receipts, then each run's consumptions and outputs in a random order. */
function plantEvents(
  lots: readonly PlantLot[],
  runs: readonly PlantRun[],
  shipments: readonly PlantShipment[],
  shuffled: <T>(items: T[]) => T[],
): BusMessage[] {
  let clock = Date.parse("2026-01-05T06:00:00.000Z");
  const at = () => new Date((clock += 1000)).toISOString();
  const message = (subject: string, entityType: string, entityId: string, payload: Record<string, unknown>) => ({
    id: randomUUID(),
    subject,
    entityType,
    entityId,
    payload,
    occurredAt: at(),
  });
  const byId = new Map(lots.map((lot) => [lot.lotId, lot]));
  const events: BusMessage[] = lots
    .filter((lot) => lot.received)
    .map((lot) =>
      message(SUBJECTS.inventory.lotReceived, "Lot", lot.lotId, {
        code: `R-${lot.lotId.slice(0, 8)}`,
        materialId: MATERIAL[lot.uom],
        quantity: lot.quantity,
        uom: lot.uom,
        locationId: null,
        supplierId: null,
        supplierLotCode: null,
        createdAt: at(),
      }),
    );
  const produced = new Set<string>();
  for (const run of runs) {
    const steps = shuffled([
      ...run.consumptions.map((c) => ({ kind: "consume" as const, ...c })),
      ...run.outputs.map((o) => ({ kind: "output" as const, ...o })),
    ]);
    for (const step of steps) {
      if (step.kind === "consume") {
        events.push(
          message(SUBJECTS.production.consumptionRecorded, "Consumption", randomUUID(), {
            runId: run.runId,
            lineId: null,
            consumptionId: randomUUID(),
            lotId: step.lotId,
            quantity: step.quantity,
            outputLotIds: [],
            consumedAt: at(),
          }),
        );
        continue;
      }
      const lot = byId.get(step.lotId)!;
      events.push(
        message(SUBJECTS.production.outputRecorded, "ProductionRun", run.runId, {
          runId: run.runId,
          lineId: null,
          outputId: randomUUID(),
          lotId: lot.lotId,
          materialId: MATERIAL[lot.uom],
          quantity: step.quantity,
          serialIds: [],
          inputLotIds: [],
          recordedAt: at(),
        }),
      );
      if (produced.has(lot.lotId)) continue;
      produced.add(lot.lotId);
      events.push(
        message(SUBJECTS.inventory.lotProduced, "Lot", lot.lotId, {
          lotId: lot.lotId,
          code: `P-${lot.lotId.slice(0, 8)}`,
          materialId: MATERIAL[lot.uom],
          quantity: lot.quantity,
          uom: lot.uom,
          locationId: randomUUID(),
          runId: run.runId,
          serials: lot.serials,
          createdAt: at(),
        }),
      );
    }
  }
  for (const shipment of shipments)
    events.push(
      message(SUBJECTS.inventory.shipmentCreated, "Shipment", shipment.shipmentId, {
        customerId: shipment.customerId,
        reference: `SO-${shipment.shipmentId.slice(0, 8)}`,
        shippedAt: shipment.shippedAt,
        lines: shipment.lines,
      }),
    );
  return events;
}

/**
 * The plant's rows as the SQL reads give them (consumptions summed per run and lot, output
 * records per run and lot), for the oracle runs that skip the database; the descendants by a
 * breadth-first walk over the runs.
 */
export function plantReads(plant: RandomPlant): ExposureReads {
  const uom = new Map(plant.lots.map((lot) => [lot.lotId, lot.uom]));
  const summed = (rows: ReadonlyArray<{ lotId: string; quantity: string }>) => {
    const sums = new Map<string, bigint>();
    for (const row of rows) sums.set(row.lotId, (sums.get(row.lotId) ?? 0n) + Quantity.of(row.quantity).micros);
    return [...sums].map(([lotId, micros]) => ({ lotId, quantity: Quantity.fromMicros(micros).toFixed(6) }));
  };
  const runOutputs = plant.runs.flatMap((run) => summed(run.outputs).map((o) => ({ runId: run.runId, ...o })));
  const runInputs = plant.runs.flatMap((run) =>
    summed(run.consumptions).map((c) => ({ runId: run.runId, ...c, uom: uom.get(c.lotId) ?? null })),
  );
  return {
    async descendants(lotIds) {
      const seen = new Set<string>();
      let frontier = [...lotIds];
      while (frontier.length > 0) {
        const runs = new Set(runInputs.filter((i) => frontier.includes(i.lotId)).map((i) => i.runId));
        frontier = runOutputs.filter((o) => runs.has(o.runId) && !seen.has(o.lotId)).map((o) => o.lotId);
        frontier.forEach((lotId) => seen.add(lotId));
      }
      return [...seen];
    },
    async flowsOf(lotIds) {
      const ids = new Set(lotIds);
      const outputs = runOutputs.filter((o) => ids.has(o.lotId));
      const runs = new Set(outputs.map((o) => o.runId));
      return {
        lots: plant.lots.filter((l) => ids.has(l.lotId)).map(({ lotId, quantity, uom }) => ({ lotId, quantity, uom })),
        runOutputs: outputs,
        runInputs: runInputs.filter((i) => runs.has(i.runId)),
        shipments: plant.shipments.flatMap((s) =>
          s.lines
            .filter((line) => ids.has(line.lotId))
            .map((line) => ({
              ...line,
              shipmentId: s.shipmentId,
              customerId: s.customerId,
              shippedAt: new Date(s.shippedAt),
            })),
        ),
        serials: plant.lots.flatMap((l) =>
          ids.has(l.lotId)
            ? l.serials.map((s) => ({ serialId: s.id, lotId: l.lotId, serialNumber: s.serialNumber }))
            : [],
        ),
      };
    },
  };
}
