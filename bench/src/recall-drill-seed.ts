import { derivedUuid, type SqlDriver } from "@lotgraph/kit";
import {
  LOCATIONS,
  MATERIALS,
  PARTIES,
  decimal,
  familiesFor,
  idStream,
  plantGroups,
  statusOf,
  type Lots,
} from "./recall-drill-plant.ts";
import { insertRows, withIndexesRebuilt } from "./recall-drill-sql.ts";

/** The author of every seeded movement and shipment: the plant's history, not a person. */
const ACTOR = { id: "recall-drill-seed", name: "Plant history (bench seed)" };

const INVENTORY_TABLES = ["lot", "stock_movement", "shipment", "shipment_line"];
const TRACEABILITY_TABLES = [
  "genealogy_lot",
  "genealogy_edge",
  "run_input",
  "run_consumption",
  "run_output_lot",
  "run_output_record",
  "run_fact",
  "shipment_fact",
  "shipment_lot",
];

/** Master data ids, derived from their codes: the same in every seeded plant (kept: asked per row). */
const masterIds = new Map<string, string>();
function masterId(kind: string, code: string): string {
  const key = `recall-drill:${kind}:${code}`;
  let found = masterIds.get(key);
  if (!found) masterIds.set(key, (found = derivedUuid(key)));
  return found;
}
const materialId = (sku: string) => masterId("material", sku);
const locationId = (code: string) => masterId("location", code);
const partyId = (code: string) => masterId("party", code);
const customers = PARTIES.filter((p) => p.kind === "CUSTOMER").map((p) => p.code);
const customerId = (index: number) => partyId(customers[index]!);

const at = (ms: number) => new Date(ms).toISOString();

/**
 * Writes the plant straight into inventory's and traceability's tables, as their own writes and
 * the projection of their events would have left them (no events, no audit entries: history from
 * before Lotgraph). Inventory: materials, locations, parties, lots with their quantity and status,
 * every stock movement (receipts, consumptions, productions, shipments, each with its running
 * balance, so a lot's quantity is its ledger's sum), shipments and their lines. Traceability: the
 * genealogy (lots with quantity, unit and supplier lot code; run-level edges), the runs' inputs
 * and outputs, the shipments, and the master data facts.
 */
export async function seedPlant(
  databases: { inventory: SqlDriver; traceability: SqlDriver },
  params: { lots: number; seed: number },
  log: (line: string) => void,
): Promise<void> {
  const { inventory, traceability } = databases;
  await seedMasterData(inventory, traceability);
  const families = familiesFor(params.lots);
  const started = performance.now();
  let written = 0;
  await withIndexesRebuilt(
    inventory,
    INVENTORY_TABLES,
    () =>
      withIndexesRebuilt(
        traceability,
        TRACEABILITY_TABLES,
        async () => {
          for (const group of plantGroups(params.lots, params.seed)) {
            const ids = idStream(`${params.seed}:${group.families[0]}:group`);
            await writeInventory(inventory, group, ids);
            await writeTraceability(traceability, group, ids);
            // PGlite has no checkpointer: past about half a GB of WAL a load stalled in a busy
            // wait (both subgraphs share the engine; one server in services mode too).
            await inventory.exec("CHECKPOINT");
            written += group.families.length;
            const seconds = (performance.now() - started) / 1000;
            process.stderr.write(
              `\r  seeding: ${written}/${families} families, ${seconds.toFixed(0)} s, ETA ${((seconds / written) * (families - written)).toFixed(0)} s   `,
            );
          }
          process.stderr.write("\n");
          log(`  rows written in ${((performance.now() - started) / 1000).toFixed(0)} s; rebuilding indexes`);
        },
        log,
      ),
    log,
  );
}

async function seedMasterData(inventory: SqlDriver, traceability: SqlDriver): Promise<void> {
  const created = at(Date.parse("2025-12-01T00:00:00Z"));
  await insertRows(
    inventory,
    "material",
    {
      id: "uuid",
      sku: "text",
      name: "text",
      uom: "text",
      kind: '"MaterialKind"',
      tracking: '"Tracking"',
      created_at: "timestamptz",
    },
    MATERIALS,
    (m) => [materialId(m.sku), m.sku, m.name, m.uom, m.kind, "LOT", created],
  );
  await insertRows(
    inventory,
    "location",
    { id: "uuid", code: "text", name: "text", kind: '"LocationKind"', parent_id: "uuid", created_at: "timestamptz" },
    LOCATIONS,
    (l) => [locationId(l.code), l.code, l.name, l.kind, l.parent ? locationId(l.parent) : null, created],
  );
  await insertRows(
    inventory,
    "party",
    { id: "uuid", code: "text", name: "text", kind: '"PartyKind"', created_at: "timestamptz" },
    PARTIES,
    (p) => [partyId(p.code), p.code, p.name, p.kind, created],
  );
  await insertRows(
    traceability,
    "material_fact",
    { material_id: "uuid", sku: "text", name: "text", uom: "text", kind: "text" },
    MATERIALS,
    (m) => [materialId(m.sku), m.sku, m.name, m.uom, m.kind],
  );
  await insertRows(
    traceability,
    "location_fact",
    { location_id: "uuid", code: "text", name: "text", kind: "text", parent_id: "uuid" },
    LOCATIONS,
    (l) => [locationId(l.code), l.code, l.name, l.kind, l.parent ? locationId(l.parent) : null],
  );
  await insertRows(
    traceability,
    "party_fact",
    { party_id: "uuid", code: "text", name: "text", kind: "text" },
    PARTIES,
    (p) => [partyId(p.code), p.code, p.name, p.kind],
  );
}

const uomOf = new Map(MATERIALS.map((m) => [m.sku as string, m.uom as string]));

async function writeInventory(db: SqlDriver, group: Lots, nextId: () => string): Promise<void> {
  const { lots, runs, shipments, movements } = group;
  await insertRows(
    db,
    "lot",
    {
      id: "uuid",
      code: "text",
      material_id: "uuid",
      quantity: "numeric",
      uom: "text",
      status: '"LotStatus"',
      location_id: "uuid",
      supplier_id: "uuid",
      supplier_lot_code: "text",
      created_at: "timestamptz",
    },
    lots,
    (l) => [
      l.id,
      l.code,
      materialId(l.sku),
      decimal(l.onHand),
      uomOf.get(l.sku),
      statusOf(l),
      locationId(l.location),
      l.supplier ? partyId(l.supplier) : null,
      l.supplierLotCode,
      at(l.createdAt),
    ],
  );
  await insertRows(
    db,
    "shipment",
    {
      id: "uuid",
      reference: "text",
      customer_id: "uuid",
      shipped_at: "timestamptz",
      actor_id: "text",
      actor_name: "text",
    },
    shipments,
    (s) => [s.id, s.reference, customerId(s.customer), at(s.shippedAt), ACTOR.id, ACTOR.name],
  );
  const lines = shipments.flatMap((s) => s.lines.map((line, k) => ({ shipment: s, line, k })));
  await insertRows(
    db,
    "shipment_line",
    { shipment_id: "uuid", line_no: "int4", lot_id: "uuid", quantity: "numeric" },
    lines,
    ({ shipment, line, k }) => [shipment.id, k + 1, lots[line.lot]!.id, decimal(line.quantity)],
  );
  // Movements are in time order: each one's balance is its lot's running sum.
  const balance = new Float64Array(lots.length);
  await insertRows(
    db,
    "stock_movement",
    {
      id: "uuid",
      lot_id: "uuid",
      kind: '"MovementKind"',
      quantity: "numeric",
      balance: "numeric",
      actor_id: "text",
      actor_name: "text",
      to_location_id: "uuid",
      run_id: "uuid",
      shipment_id: "uuid",
      created_at: "timestamptz",
    },
    movements,
    (m) => {
      const lot = lots[m.lot]!;
      balance[m.lot]! += m.delta;
      const arrives = m.kind === "RECEIPT" || m.kind === "PRODUCTION";
      return [
        nextId(),
        lot.id,
        m.kind,
        decimal(m.delta),
        decimal(balance[m.lot]!),
        ACTOR.id,
        ACTOR.name,
        arrives ? locationId(lot.location) : null,
        m.run === null ? null : runs[m.run]!.id,
        m.shipment === null ? null : shipments[m.shipment]!.id,
        at(m.at),
      ];
    },
  );
}

async function writeTraceability(db: SqlDriver, group: Lots, nextId: () => string): Promise<void> {
  const { lots, runs, shipments } = group;
  await insertRows(
    db,
    "genealogy_lot",
    {
      lot_id: "uuid",
      code: "text",
      material_id: "uuid",
      created_at: "timestamptz",
      supplier_lot_code: "text",
      uom: "text",
      quantity: "numeric",
      location_id: "uuid",
      supplier_id: "uuid",
      run_id: "uuid",
    },
    lots,
    (l) => [
      l.id,
      l.code,
      materialId(l.sku),
      at(l.createdAt),
      l.supplierLotCode,
      uomOf.get(l.sku),
      decimal(l.quantity),
      locationId(l.location),
      l.supplier ? partyId(l.supplier) : null,
      l.run === null ? null : runs[l.run]!.id,
    ],
  );
  // Run-level genealogy (DESIGN.md §4.4): every input of a run is a parent of every output.
  const edges = runs.flatMap((run) =>
    run.inputs.flatMap((input) => run.outputs.map((output) => ({ run, input, output }))),
  );
  await insertRows(
    db,
    "genealogy_edge",
    { parent_lot_id: "uuid", child_lot_id: "uuid", quantity: "numeric", run_id: "uuid", created_at: "timestamptz" },
    edges,
    ({ run, input, output }) => [
      lots[input.lot]!.id,
      lots[output.lot]!.id,
      decimal(input.quantity),
      run.id,
      at(run.at),
    ],
  );
  const inputs = runs.flatMap((run) => run.inputs.map((input) => ({ run, input })));
  await insertRows(
    db,
    "run_input",
    { run_id: "uuid", lot_id: "uuid", quantity: "numeric" },
    inputs,
    ({ run, input }) => [run.id, lots[input.lot]!.id, decimal(input.quantity)],
  );
  await insertRows(
    db,
    "run_consumption",
    { consumption_id: "uuid", run_id: "uuid", lot_id: "uuid", quantity: "numeric", consumed_at: "timestamptz" },
    inputs,
    ({ run, input }) => [nextId(), run.id, lots[input.lot]!.id, decimal(input.quantity), at(run.at)],
  );
  const outputs = runs.flatMap((run) => run.outputs.map((output) => ({ run, output })));
  await insertRows(
    db,
    "run_output_lot",
    { run_id: "uuid", lot_id: "uuid", quantity: "numeric", recorded_at: "timestamptz" },
    outputs,
    ({ run, output }) => [run.id, lots[output.lot]!.id, decimal(output.quantity), at(lots[output.lot]!.createdAt)],
  );
  await insertRows(
    db,
    "run_output_record",
    { output_id: "uuid", run_id: "uuid", lot_id: "uuid", quantity: "numeric" },
    outputs,
    ({ run, output }) => [nextId(), run.id, lots[output.lot]!.id, decimal(output.quantity)],
  );
  await insertRows(db, "run_fact", { run_id: "uuid", line_id: "uuid", location_id: "uuid" }, runs, (run) => [
    run.id,
    null,
    locationId("RD-PRD-01"),
  ]);
  await insertRows(
    db,
    "shipment_fact",
    { shipment_id: "uuid", customer_id: "uuid", reference: "text", shipped_at: "timestamptz" },
    shipments,
    (s) => [s.id, customerId(s.customer), s.reference, at(s.shippedAt)],
  );
  const lines = shipments.flatMap((s) => s.lines.map((line) => ({ shipment: s, line })));
  await insertRows(
    db,
    "shipment_lot",
    { shipment_id: "uuid", lot_id: "uuid", quantity: "numeric", from_location_id: "uuid" },
    lines,
    ({ shipment, line }) => [
      shipment.id,
      lots[line.lot]!.id,
      decimal(line.quantity),
      locationId(lots[line.lot]!.location),
    ],
  );
}
