import { createCipheriv, createHash } from "node:crypto";
import { seededRandom } from "@lotgraph/tests/support/genealogy-graph";

/**
 * The plant of `npm run bench -- recall-drill`: families of lots, each one supplier lot code of
 * flour received as 10 lots and everything made from it over five levels of runs (splits, merges
 * with other materials, multi-output runs), about 10,000 lots, whose finished lots ship to the
 * plant's 200 customers. Families are alike and disjoint; enough of them make the plant's size.
 * Everything is drawn from a seeded PRNG and ids are derived from (seed, family, kind, number), so
 * one family can be generated alone and comes out the same as inside the whole plant.
 */

export type MaterialKind = "RAW" | "INTERMEDIATE" | "FINISHED" | "PACKAGING";
export type MovementKind = "RECEIPT" | "PRODUCTION" | "CONSUMPTION" | "SHIPMENT";

export interface MaterialSpec {
  sku: string;
  name: string;
  uom: string;
  kind: MaterialKind;
  /** Raw materials: who supplies them, and the prefix of their supplier lot codes. */
  supplier?: string;
}

export const MATERIALS = [
  { sku: "RD-FLOUR", name: "Wheat flour", uom: "kg", kind: "RAW", supplier: "RD-MILL" },
  { sku: "RD-SALT", name: "Salt", uom: "kg", kind: "RAW", supplier: "RD-SALTWORKS" },
  { sku: "RD-SUGAR", name: "Sugar", uom: "kg", kind: "RAW", supplier: "RD-REFINERY" },
  // In litres and each: a run's inputs in another unit take no share of its outputs (decision 0023).
  { sku: "RD-OIL", name: "Sunflower oil", uom: "l", kind: "RAW", supplier: "RD-PRESS" },
  { sku: "RD-SEEDS", name: "Sesame seeds", uom: "kg", kind: "RAW", supplier: "RD-GROWER" },
  { sku: "RD-CARTON", name: "Carton", uom: "ea", kind: "PACKAGING", supplier: "RD-BOXCO" },
  { sku: "RD-DOUGH", name: "Dough", uom: "kg", kind: "INTERMEDIATE" },
  { sku: "RD-BATTER", name: "Batter", uom: "kg", kind: "INTERMEDIATE" },
  { sku: "RD-LOAF", name: "Baked loaf", uom: "kg", kind: "INTERMEDIATE" },
  { sku: "RD-SLICED", name: "Sliced loaf", uom: "kg", kind: "INTERMEDIATE" },
  { sku: "RD-BOXED", name: "Boxed bread", uom: "kg", kind: "FINISHED" },
] as const satisfies readonly MaterialSpec[];

export type Sku = (typeof MATERIALS)[number]["sku"];

/**
 * The levels of a family: `runs` runs take every lot of the level before (a lot split between
 * runs, or several merged into one) plus one lot of `adds`, and each outputs about `outputs` lots
 * of `makes`. 10 + 40 + 200 + 1,000 + 3,000 + 5,750 = 10,000 lots reached from the supplier lot code.
 */
const LEVELS: ReadonlyArray<{ runs: number; outputs: number; makes: Sku; adds: Sku }> = [
  { runs: 20, outputs: 2, makes: "RD-DOUGH", adds: "RD-SALT" },
  { runs: 40, outputs: 5, makes: "RD-BATTER", adds: "RD-SUGAR" },
  { runs: 200, outputs: 5, makes: "RD-LOAF", adds: "RD-OIL" },
  { runs: 1000, outputs: 3, makes: "RD-SLICED", adds: "RD-SEEDS" },
  { runs: 1150, outputs: 5, makes: "RD-BOXED", adds: "RD-CARTON" },
];
const SOURCE_LOTS = 10;
/** Consecutive runs of a level share one lot of what they add. */
const RUNS_PER_ADDED_LOT = 10;
/** A lot also goes partly to the next run: the splits. */
const SPLIT = 0.3;
/** A lot of the level before keeps some quantity on hand instead of being used up. */
const LEFTOVER = 0.08;
export const CUSTOMERS = 200;
const DAY = 86_400_000;
const START = Date.parse("2026-01-05T06:00:00Z");
/** A family's lots span about 10 days; the families start spread over a year. */
const YEAR = 365 * DAY;

export const LOCATIONS = [
  { code: "RD-PLANT", name: "Bench bakery", kind: "SITE", parent: null },
  { code: "RD-RECEIVING", name: "Receiving", kind: "AREA", parent: "RD-PLANT" },
  { code: "RD-PRODUCTION", name: "Production", kind: "AREA", parent: "RD-PLANT" },
  { code: "RD-WAREHOUSE", name: "Finished goods", kind: "AREA", parent: "RD-PLANT" },
  { code: "RD-RCV-01", name: "Receiving bin", kind: "BIN", parent: "RD-RECEIVING" },
  { code: "RD-PRD-01", name: "Production bin", kind: "BIN", parent: "RD-PRODUCTION" },
  { code: "RD-FG-01", name: "Finished goods bin", kind: "BIN", parent: "RD-WAREHOUSE" },
] as const;
type LocationCode = (typeof LOCATIONS)[number]["code"];

export interface PartySpec {
  code: string;
  name: string;
  kind: "SUPPLIER" | "CUSTOMER";
}

export const PARTIES: PartySpec[] = [
  ...[...new Set(MATERIALS.flatMap((m) => ("supplier" in m ? [m.supplier] : [])))].map((code) => ({
    code,
    name: `Supplier ${code.slice(3).toLowerCase()}`,
    kind: "SUPPLIER" as const,
  })),
  ...Array.from({ length: CUSTOMERS }, (_, i) => ({
    code: `RD-CUST-${String(i).padStart(3, "0")}`,
    name: `Customer ${i}`,
    kind: "CUSTOMER" as const,
  })),
];

/** Quantities are kept in thousandths (integers), written with 3 decimals. */
export const decimal = (milli: number) =>
  `${Math.trunc(milli / 1000)}.${String(Math.abs(milli % 1000)).padStart(3, "0")}`;

export interface Lot {
  id: string;
  code: string;
  sku: Sku;
  /** Received or produced, in thousandths of the material's unit. */
  quantity: number;
  createdAt: number;
  location: LocationCode;
  supplier: string | null;
  supplierLotCode: string | null;
  /** The run that produced it; null for a receipt. */
  run: number | null;
  /** Filled by the movements: on hand now, and the last movement's kind. */
  onHand: number;
  last: MovementKind;
}

export interface Run {
  id: string;
  at: number;
  inputs: Array<{ lot: number; quantity: number }>;
  outputs: Array<{ lot: number; quantity: number }>;
}

export interface Shipment {
  id: string;
  reference: string;
  customer: number;
  shippedAt: number;
  lines: Array<{ lot: number; quantity: number }>;
}

export interface Movement {
  lot: number;
  kind: MovementKind;
  /** Signed change of on-hand, thousandths. */
  delta: number;
  at: number;
  run: number | null;
  shipment: number | null;
}

/** A family, or the whole plant: lots, runs and shipments refer to each other by index. */
export interface Lots {
  lots: Lot[];
  runs: Run[];
  shipments: Shipment[];
  movements: Movement[];
}

/** What a drill on the drilled family's supplier lot code must find. */
export interface DrilledFamily {
  family: number;
  supplierLotCode: string;
  sourceLotIds: string[];
  /** The source lots and every lot made from them. */
  affected: number;
  finished: number;
  onHand: number;
  shipments: number;
  customers: number;
  /** A few lots of the family, to check their quantity against their ledger. */
  sampleLotIds: string[];
}

/** About this many lots per family (the size varies a little with the draws). */
export const FAMILY_LOTS = 10_241;

export function familiesFor(lots: number): number {
  return Math.max(1, Math.round(lots / FAMILY_LOTS));
}

/** The family drilled: one in the middle, so its rows sit among others in every table. */
export function drilledFamily(families: number): number {
  return Math.floor(families / 2);
}

/** How many families are generated and written together: neighbours in time interleave. */
const GROUP = 4;

/**
 * The plant, a few families at a time (a million lots of objects at once would take gigabytes):
 * each group's lots, runs, shipments and movements, indexes local to the group, in time order
 * as a plant would have written them.
 */
export function* plantGroups(lots: number, seed: number): Generator<Lots & { families: number[] }> {
  const families = familiesFor(lots);
  for (let first = 0; first < families; first += GROUP) {
    const group: Lots = { lots: [], runs: [], shipments: [], movements: [] };
    const members = Array.from({ length: Math.min(GROUP, families - first) }, (_, k) => first + k);
    for (const f of members) append(group, generateFamily(seed, f, families));
    yield { ...inTimeOrder(group), families: members };
  }
}

/** The drilled family alone, for what its drill must find. */
export function generateDrilledFamily(lots: number, seed: number): DrilledFamily {
  const families = familiesFor(lots);
  const f = drilledFamily(families);
  return expectations(generateFamily(seed, f, families), f);
}

/** Lots, runs and shipments renumbered by time, and the movements by time. */
function inTimeOrder(group: Lots): Lots {
  const order = <T>(items: T[], at: (item: T) => number) => {
    const sorted = items.map((_, i) => i).sort((a, b) => at(items[a]!) - at(items[b]!));
    const renumber = new Int32Array(items.length);
    sorted.forEach((old, now) => (renumber[old] = now));
    return { items: sorted.map((i) => items[i]!), renumber };
  };
  const lots = order(group.lots, (l) => l.createdAt);
  const runs = order(group.runs, (r) => r.at);
  const shipments = order(group.shipments, (s) => s.shippedAt);
  const lot = (i: number) => lots.renumber[i]!;
  return {
    lots: lots.items.map((l) => ({ ...l, run: l.run === null ? null : runs.renumber[l.run]! })),
    runs: runs.items.map((r) => ({
      ...r,
      inputs: r.inputs.map((i) => ({ ...i, lot: lot(i.lot) })),
      outputs: r.outputs.map((o) => ({ ...o, lot: lot(o.lot) })),
    })),
    shipments: shipments.items.map((s) => ({ ...s, lines: s.lines.map((l) => ({ ...l, lot: lot(l.lot) })) })),
    movements: group.movements
      .map((m) => ({
        ...m,
        lot: lot(m.lot),
        run: m.run === null ? null : runs.renumber[m.run]!,
        shipment: m.shipment === null ? null : shipments.renumber[m.shipment]!,
      }))
      .sort((a, b) => a.at - b.at),
  };
}

function append(plant: Lots, family: Lots): void {
  const [lotBase, runBase, shipmentBase] = [plant.lots.length, plant.runs.length, plant.shipments.length];
  const lot = (i: number) => i + lotBase;
  for (const l of family.lots) plant.lots.push({ ...l, run: l.run === null ? null : l.run + runBase });
  for (const r of family.runs)
    plant.runs.push({
      ...r,
      inputs: r.inputs.map((i) => ({ ...i, lot: lot(i.lot) })),
      outputs: r.outputs.map((o) => ({ ...o, lot: lot(o.lot) })),
    });
  for (const s of family.shipments)
    plant.shipments.push({ ...s, lines: s.lines.map((l) => ({ ...l, lot: lot(l.lot) })) });
  for (const m of family.movements)
    plant.movements.push({
      ...m,
      lot: lot(m.lot),
      run: m.run === null ? null : m.run + runBase,
      shipment: m.shipment === null ? null : m.shipment + shipmentBase,
    });
}

/** A 32-bit seed per family from (seed, family), so families draw unrelated numbers. */
function familySeed(seed: number, family: number): number {
  return createHash("sha256").update(`recall-drill:${seed}:${family}`).digest().readUInt32LE(0);
}

export function generateFamily(seed: number, f: number, families: number): Lots {
  const random = seededRandom(familySeed(seed, f));
  const between = (low: number, high: number) => Math.floor(low + random() * (high - low + 1));
  const ids = {
    lot: idStream(`${seed}:${f}:lot`),
    run: idStream(`${seed}:${f}:run`),
    shipment: idStream(`${seed}:${f}:shipment`),
  };
  const family: Lots = { lots: [], runs: [], shipments: [], movements: [] };
  const start = START + Math.floor((f * YEAR) / families);
  const addLot = (lot: Omit<Lot, "id" | "code" | "onHand" | "last">) => {
    const n = family.lots.length;
    family.lots.push({ ...lot, id: ids.lot(), code: `RD-${f}-${n}`, onHand: 0, last: "RECEIPT" });
    family.movements.push({
      lot: n,
      kind: lot.run === null ? "RECEIPT" : "PRODUCTION",
      delta: lot.quantity,
      at: lot.createdAt,
      run: lot.run,
      shipment: null,
    });
    return n;
  };
  const consume = (run: number, lot: number, quantity: number) => {
    family.runs[run]!.inputs.push({ lot, quantity });
    family.movements.push({
      lot,
      kind: "CONSUMPTION",
      delta: -quantity,
      at: family.runs[run]!.at,
      run,
      shipment: null,
    });
  };

  const code = supplierLotCode(f);
  let previous = Array.from({ length: SOURCE_LOTS }, (_, k) =>
    addLot({
      sku: "RD-FLOUR",
      quantity: between(8_000, 12_000) * 1000,
      createdAt: start + k * 600_000,
      location: "RD-RCV-01",
      supplier: "RD-MILL",
      supplierLotCode: code,
      run: null,
    }),
  );
  for (const [level, spec] of LEVELS.entries()) {
    const levelStart = start + (level + 1) * DAY;
    const runs = Array.from({ length: spec.runs }, (_, r) => {
      family.runs.push({
        id: ids.run(),
        at: levelStart + Math.floor((r / spec.runs) * 0.8 * DAY),
        inputs: [],
        outputs: [],
      });
      return family.runs.length - 1;
    });
    // Each lot of the level before goes to the runs at its place in the level (several when
    // there are more runs than lots: a split; one run takes several when there are fewer: a
    // merge), sometimes partly to the next run too.
    const massIn = new Map<number, number>();
    for (const [p, lot] of previous.entries()) {
      const first = Math.floor((p * spec.runs) / previous.length);
      const last = Math.max(first, Math.ceil(((p + 1) * spec.runs) / previous.length) - 1);
      const takers = Array.from({ length: last - first + 1 }, (_, k) => runs[first + k]!);
      if (last + 1 < spec.runs && random() < SPLIT) takers.push(runs[last + 1]!);
      const quantity = family.lots[lot]!.quantity;
      const used = random() < LEFTOVER ? quantity - Math.floor(quantity * (0.1 + 0.3 * random())) : quantity;
      for (const [k, share] of split(used, takers.length, random).entries()) {
        consume(takers[k]!, lot, share);
        massIn.set(takers[k]!, (massIn.get(takers[k]!) ?? 0) + share);
      }
    }
    // What each run adds, from lots received the day before, RUNS_PER_ADDED_LOT runs per lot.
    const adds: MaterialSpec = MATERIALS.find((m) => m.sku === spec.adds)!;
    for (let r = 0; r < spec.runs; r += RUNS_PER_ADDED_LOT) {
      const group = runs.slice(r, r + RUNS_PER_ADDED_LOT);
      const amounts = group.map((run) => {
        const mass = massIn.get(run) ?? 0;
        if (adds.uom === "ea") return between(20, 60) * LEVELS[level]!.outputs * 1000;
        if (adds.uom === "l") return Math.max(1000, Math.floor(mass * 0.02 * random()));
        return Math.max(1000, Math.floor(mass * (0.05 + 0.1 * random())));
      });
      const used = amounts.reduce((a, b) => a + b, 0);
      const lot = addLot({
        sku: spec.adds,
        quantity: random() < 0.2 ? used + Math.floor(used * (0.05 + 0.25 * random())) : used,
        createdAt: levelStart - DAY / 2 + r * 1000,
        location: "RD-RCV-01",
        supplier: adds.supplier ?? null,
        supplierLotCode: `${adds.sku.slice(3)}-${f}-${r / RUNS_PER_ADDED_LOT}`,
        run: null,
      });
      for (const [k, run] of group.entries()) {
        consume(run, lot, amounts[k]!);
        if (adds.uom === "kg") massIn.set(run, (massIn.get(run) ?? 0) + amounts[k]!);
      }
    }
    // Outputs: what came in by weight, less a few percent, in one to several lots.
    const makes = MATERIALS.find((m) => m.sku === spec.makes)!;
    const next: number[] = [];
    for (const run of runs) {
      const draw = random();
      const count = Math.max(1, spec.outputs + (draw < 1 / 3 ? -1 : draw < 2 / 3 ? 1 : 0));
      const made = Math.floor((massIn.get(run) ?? 0) * (0.95 + 0.04 * random()));
      for (const quantity of split(made, count, random)) {
        const lot = addLot({
          sku: makes.sku,
          quantity,
          createdAt: family.runs[run]!.at + 3_600_000,
          location: makes.kind === "FINISHED" ? "RD-FG-01" : "RD-PRD-01",
          supplier: null,
          supplierLotCode: null,
          run,
        });
        family.runs[run]!.outputs.push({ lot, quantity });
        next.push(lot);
      }
    }
    previous = next;
  }
  ship(family, previous, random, between, ids.shipment);
  settle(family);
  return family;
}

/**
 * Finished lots ship in order, one to ten lines a shipment, each to one of the plant's customers:
 * 80 % whole, 10 % in part (the rest stays on hand), 10 % not yet.
 */
function ship(
  family: Lots,
  finished: number[],
  random: () => number,
  between: (low: number, high: number) => number,
  nextId: () => string,
): void {
  let pending: Array<{ lot: number; quantity: number }> = [];
  let size = between(1, 10);
  const close = () => {
    if (pending.length === 0) return;
    const n = family.shipments.length;
    const id = nextId();
    const latest = Math.max(...pending.map((l) => family.lots[l.lot]!.createdAt));
    const shippedAt = latest + between(1, 5) * DAY + between(0, 3_600_000);
    family.shipments.push({
      id,
      reference: `SO-${id.slice(0, 8)}`,
      customer: between(0, CUSTOMERS - 1),
      shippedAt,
      lines: pending,
    });
    for (const line of pending)
      family.movements.push({
        lot: line.lot,
        kind: "SHIPMENT",
        delta: -line.quantity,
        at: shippedAt,
        run: null,
        shipment: n,
      });
    pending = [];
    size = between(1, 10);
  };
  for (const lot of finished) {
    const draw = random();
    if (draw >= 0.9) continue;
    const quantity = family.lots[lot]!.quantity;
    pending.push({ lot, quantity: draw < 0.8 ? quantity : Math.floor(quantity * (0.5 + 0.4 * random())) });
    if (pending.length >= size) close();
  }
  close();
}

/** Each lot's on hand and last movement, from its movements in time order. */
function settle(family: Lots): void {
  family.movements.sort((a, b) => a.at - b.at);
  for (const m of family.movements) {
    const lot = family.lots[m.lot]!;
    lot.onHand += m.delta;
    lot.last = m.kind;
    if (lot.onHand < 0) throw new Error(`plant generator: lot ${lot.code} went below zero`);
  }
}

/** `total` in `parts` random positive shares that add up to it exactly. */
function split(total: number, parts: number, random: () => number): number[] {
  if (parts === 1) return [total];
  const weights = Array.from({ length: parts }, () => 0.5 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  shares[parts - 1]! += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

export function supplierLotCode(family: number): string {
  return `MILL-${String(family).padStart(4, "0")}`;
}

/** A lot's status as inventory leaves it: on hand is AVAILABLE; used up is what used it up. */
export function statusOf(lot: Lot): "AVAILABLE" | "CONSUMED" | "SHIPPED" {
  if (lot.onHand > 0) return "AVAILABLE";
  return lot.last === "SHIPMENT" ? "SHIPPED" : "CONSUMED";
}

/** What a drill on the family's flour code must find, computed from the family itself. */
function expectations(family: Lots, f: number): DrilledFamily {
  const code = supplierLotCode(f);
  const affected = new Set(family.lots.flatMap((l, i) => (l.supplierLotCode === code ? [i] : [])));
  const sources = [...affected];
  // Runs appear in time order, so a run's inputs are settled before its outputs are looked at.
  for (const run of family.runs)
    if (run.inputs.some((i) => affected.has(i.lot))) for (const o of run.outputs) affected.add(o.lot);
  const lots = [...affected].map((i) => family.lots[i]!);
  const shipments = family.shipments.filter((s) => s.lines.some((l) => affected.has(l.lot)));
  const sample = [...affected].filter((_, k) => k % 997 === 0).map((i) => family.lots[i]!.id);
  return {
    family: f,
    supplierLotCode: code,
    sourceLotIds: sources.map((i) => family.lots[i]!.id),
    affected: affected.size,
    finished: lots.filter((l) => l.sku === "RD-BOXED").length,
    onHand: lots.filter((l) => l.onHand > 0).length,
    shipments: shipments.length,
    customers: new Set(shipments.map((s) => s.customer)).size,
    sampleLotIds: sample,
  };
}

/**
 * Version 4 uuids from a keyed AES-CTR stream: reproducible from `label`, never repeating, and
 * cheap enough for millions (a hash per id took seconds per family on a shared machine).
 */
export function idStream(label: string): () => string {
  const key = createHash("sha256").update(`recall-drill:${label}`).digest().subarray(0, 16);
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset === block.length) {
      block = cipher.update(Buffer.alloc(16 * 4096));
      offset = 0;
    }
    const b = block.subarray(offset, offset + 16);
    offset += 16;
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}
