import { randomUUID } from "node:crypto";
import type { BusMessage } from "../bus/types.ts";
import type { SqlExecutor } from "../db/sql.ts";

export interface NewEvent {
  subject: string;
  entityType: string;
  entityId: string;
  payload?: Record<string, unknown>;
}

/**
 * Writes a domain event into the outbox inside the caller's business transaction: the event
 * exists if and only if the change committed. The relay publishes it afterwards.
 */
export async function enqueueEvent(tx: SqlExecutor, event: NewEvent): Promise<BusMessage> {
  const id = randomUUID();
  const payload = event.payload ?? {};
  const [row] = await tx.$queryRawUnsafe<Array<{ occurred_at: Date }>>(
    `INSERT INTO outbox (id, subject, entity_type, entity_id, payload)
     VALUES ($1::uuid, $2, $3, $4, $5::jsonb) RETURNING occurred_at`,
    id,
    event.subject,
    event.entityType,
    event.entityId,
    JSON.stringify(payload),
  );
  return {
    id,
    subject: event.subject,
    entityType: event.entityType,
    entityId: event.entityId,
    payload,
    occurredAt: (row?.occurred_at ?? new Date()).toISOString(),
  };
}
