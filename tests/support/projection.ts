import { expect } from "vitest";
import {
  writeOutboxEvent,
  startProjection,
  type BusMessage,
  type Consumption,
  type EventBus,
  type Logger,
  type SqlExecutor,
} from "@lotgraph/kit";
import { openKitTestDatabase, type KitTestDatabase } from "@lotgraph/kit/testing";

/** The consumer's read model: one row per applied event, in apply order. */
const PROJECTION_TABLE = `
  CREATE TABLE projected (
    n BIGSERIAL PRIMARY KEY,
    event_id UUID NOT NULL,
    entity_id TEXT NOT NULL,
    position INT NOT NULL
  )`;

export interface ProjectedRow {
  event_id: string;
  entity_id: string;
  position: number;
}

/** A consumer's own database, with the kit tables and the `projected` table. */
export function openConsumerDatabase(): Promise<KitTestDatabase> {
  return openKitTestDatabase(PROJECTION_TABLE);
}

export async function readProjection(db: KitTestDatabase): Promise<ProjectedRow[]> {
  return db.driver.query<ProjectedRow>("SELECT event_id::text, entity_id, position FROM projected ORDER BY n");
}

export interface CountingProjectionOptions {
  bus: EventBus;
  db: KitTestDatabase;
  durable: string;
  subjects: string[];
  logger: Logger;
  /** Runs inside the transaction before the row is written; throw to fail the apply. */
  beforeApply?: (message: BusMessage) => Promise<void>;
}

/** An idempotent projection (kit `startProjection`) writing one `projected` row per event. */
export function startCountingProjection(options: CountingProjectionOptions): Promise<Consumption> {
  return startProjection<SqlExecutor>({
    bus: options.bus,
    transaction: (fn) => options.db.transaction(fn),
    durable: options.durable,
    subjects: options.subjects,
    logger: options.logger,
    apply: async (tx, message) => {
      await options.beforeApply?.(message);
      await tx.$executeRawUnsafe(
        "INSERT INTO projected (event_id, entity_id, position) VALUES ($1::uuid, $2, $3)",
        message.id,
        message.entityId,
        Number(message.payload["position"]),
      );
    },
  });
}

/**
 * Writes events the way a subgraph does, one business transaction each, interleaving the
 * entities: e0#0, e1#0, …, e0#1, e1#1, … Returns them in write (commit) order.
 */
export async function writeEvents(
  db: KitTestDatabase,
  subjectRoot: string,
  entities: string[],
  perEntity: number,
  afterEach?: (written: number) => Promise<void>,
): Promise<BusMessage[]> {
  const written: BusMessage[] = [];
  for (let position = 0; position < perEntity; position++) {
    for (const entityId of entities) {
      const event = await db.transaction((tx) =>
        writeOutboxEvent(tx, {
          subject: `${subjectRoot}.lot.${position % 2 === 0 ? "received" : "moved"}`,
          entityType: "Lot",
          entityId,
          payload: { position },
        }),
      );
      written.push(event);
      await afterEach?.(written.length);
    }
  }
  return written;
}

/** Every written event applied exactly once, and in write order (globally, hence per entity). */
export function expectAppliedOnceInOrder(rows: ProjectedRow[], written: BusMessage[]): void {
  const applied = rows.map((r) => r.event_id);
  expect(new Set(applied).size, "an event was applied more than once").toBe(applied.length);
  expect(applied).toEqual(written.map((e) => e.id));
  for (const entityId of new Set(written.map((e) => e.entityId))) {
    const positions = rows.filter((r) => r.entity_id === entityId).map((r) => r.position);
    expect(positions, `order of ${entityId}`).toEqual([...positions].sort((a, b) => a - b));
  }
}
