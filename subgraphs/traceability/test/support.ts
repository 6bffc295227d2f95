import { randomBytes, randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Database, SUBJECTS, type BusMessage, type DatabaseTarget } from "@lotgraph/kit";
import { expect } from "vitest";
import { PrismaClient } from "../src/generated/prisma/client.ts";
import { eventually } from "@lotgraph/tests/support/wait";
import type { TraceabilityClient, TraceabilityTx } from "../src/database.ts";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma", "migrations");

export type TraceDb = Database<TraceabilityClient, TraceabilityTx>;

/** In-memory PGlite always; PostgreSQL too when DATABASE_URL is set (a throwaway schema each). */
export function testTargets(databaseUrl = process.env.DATABASE_URL): Array<{ name: string; target(): DatabaseTarget }> {
  const targets = [{ name: "PGlite", target: (): DatabaseTarget => ({ kind: "pglite", dataDir: null }) }];
  if (databaseUrl) {
    targets.push({
      name: "PostgreSQL",
      target: () => ({ kind: "postgres", url: databaseUrl, schema: `trace_test_${randomBytes(5).toString("hex")}` }),
    });
  }
  return targets;
}

export function openTraceDb(target: DatabaseTarget): Promise<TraceDb> {
  return Database.open<TraceabilityClient, TraceabilityTx>({
    target,
    migrationsDir: MIGRATIONS,
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
}

let clock = Date.parse("2026-01-05T06:00:00.000Z");
/** Strictly increasing event times, so a history replays in the order the test wrote it. */
const tick = () => new Date((clock += 1000)).toISOString();

const message = (
  subject: string,
  entityType: string,
  entityId: string,
  payload: Record<string, unknown>,
): BusMessage => {
  const at = tick();
  return { id: randomUUID(), subject, entityType, entityId, payload, occurredAt: at };
};

/** Builders of the events inventory and production publish (payloads as in the kit's catalogue). */
export const events = {
  received: (
    lotId: string,
    code: string,
    supplierLotCode: string | null,
    serials: Array<{ id: string; serialNumber: string }> = [],
  ) =>
    message(SUBJECTS.inventory.lotReceived, "Lot", lotId, {
      code,
      materialId: MATERIAL,
      quantity: "100",
      uom: "kg",
      locationId: null,
      supplierId: null,
      supplierLotCode,
      createdAt: tick(),
      serials,
    }),
  produced: (lotId: string, code: string, runId: string, serials: Array<{ id: string; serialNumber: string }> = []) =>
    message(SUBJECTS.inventory.lotProduced, "Lot", lotId, {
      lotId,
      code,
      materialId: MATERIAL,
      quantity: "10",
      uom: "kg",
      locationId: randomUUID(),
      runId,
      serials,
      createdAt: tick(),
    }),
  consumed: (runId: string, lotId: string, quantity: string) =>
    message(SUBJECTS.production.consumptionRecorded, "Consumption", randomUUID(), {
      runId,
      lineId: null,
      consumptionId: randomUUID(),
      lotId,
      quantity,
      outputLotIds: [],
      consumedAt: tick(),
    }),
  output: (runId: string, lotId: string, quantity = "1") =>
    message(SUBJECTS.production.outputRecorded, "ProductionRun", runId, {
      runId,
      lineId: null,
      outputId: randomUUID(),
      lotId,
      materialId: MATERIAL,
      quantity,
      serialIds: [],
      inputLotIds: [],
      recordedAt: tick(),
    }),
  shipped: (shipmentId: string, customerId: string, lines: Array<{ lotId: string; quantity: string }>) => [
    ...lines.map((line) =>
      message(SUBJECTS.inventory.lotShipped, "Lot", line.lotId, {
        lotId: line.lotId,
        movementId: randomUUID(),
        onHand: "0",
        status: "SHIPPED",
        shipmentId,
        customerId,
        quantity: line.quantity,
      }),
    ),
    message(SUBJECTS.inventory.shipmentCreated, "Shipment", shipmentId, {
      customerId,
      reference: `SO-${shipmentId.slice(0, 4)}`,
      shippedAt: tick(),
      lines,
    }),
  ],
  installed: (installation: Installation) =>
    message(SUBJECTS.production.componentInstalled, "Installation", installation.installationId, { ...installation }),
  removed: (installation: Installation, removedAt: string) =>
    message(SUBJECTS.production.componentRemoved, "Installation", installation.installationId, {
      ...installation,
      removedAt,
      removalReason: "swap",
    }),
};

export interface Installation {
  installationId: string;
  parentSerialId: string;
  componentSerialId: string | null;
  componentLotId: string | null;
  quantity: string;
  runId: string | null;
  installedAt: string;
  removedAt: string | null;
  removalReason: string | null;
}

const MATERIAL = "00000000-0000-4000-8000-000000000001";

/** The whole projection as sorted rows: what "the graph is unchanged" compares. */
export async function snapshot(db: TraceDb) {
  const q = (sql: string) => db.driver.query(sql);
  return {
    lots: await q(
      `SELECT lot_id::text, code, supplier_lot_code, uom, quantity::text, run_id::text FROM genealogy_lot ORDER BY 1`,
    ),
    edges: await q(
      `SELECT parent_lot_id::text, child_lot_id::text, quantity::text, run_id::text FROM genealogy_edge ORDER BY 1, 2`,
    ),
    runInputs: await q(`SELECT run_id::text, lot_id::text, quantity::text FROM run_input ORDER BY 1, 2`),
    runOutputs: await q(`SELECT run_id::text, lot_id::text, quantity::text FROM run_output_lot ORDER BY 1, 2`),
    shipments: await q(`SELECT shipment_id::text, customer_id::text, reference FROM shipment_fact ORDER BY 1`),
    shipmentLots: await q(`SELECT shipment_id::text, lot_id::text, quantity::text FROM shipment_lot ORDER BY 1, 2`),
    serials: await q(`SELECT serial_id::text, lot_id::text, serial_number FROM serial_fact ORDER BY 1`),
    installations: await q(
      `SELECT installation_id::text, parent_serial_id::text, component_serial_id::text, removed_at FROM installation ORDER BY 1`,
    ),
  };
}

/** How many events the projection has recorded as processed. */
export async function processedCount(db: TraceDb): Promise<number> {
  return Number((await db.driver.query<{ n: string }>("SELECT count(*)::text AS n FROM processed_event"))[0]?.n);
}

/** Publishes `messages` in order, then waits until `total` events are processed in all. */
export async function publishAndWait(
  db: TraceDb,
  bus: { publish(message: BusMessage): Promise<void> },
  total: number,
  messages: BusMessage[],
): Promise<void> {
  for (const m of messages) await bus.publish(m);
  await eventually(async () => expect(await processedCount(db)).toBe(total));
}
