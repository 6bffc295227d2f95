import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { BusMessage } from "../bus/types.ts";
import type { SqlExecutor } from "../db/sql.ts";
import type { EventPayloadInput, Subject } from "../events/catalog.ts";
import { currentTraceCarrier } from "../tracing/propagation.ts";

/** An event as the outbox stores it, whatever its subject (see `enqueueEvent` for the typed form). */
export interface OutboxEvent {
  subject: string;
  entityType: string;
  entityId: string;
  payload?: Record<string, unknown>;
}

/**
 * A catalogue event: its payload is the one its subject's schema describes, and may be left out
 * only when that schema requires nothing (an empty object would pass it).
 */
export type NewEvent<S extends Subject> = {
  subject: S;
  entityType: string;
  entityId: string;
} & (Record<string, never> extends EventPayloadInput<S>
  ? { payload?: EventPayloadInput<S> }
  : { payload: EventPayloadInput<S> });

/**
 * Writes a domain event into the outbox inside the caller's business transaction: the event
 * exists if and only if the change committed. The relay publishes it afterwards. The subject
 * fixes the payload's type (events/catalog.ts), so a producer cannot write what its consumers
 * would refuse.
 */
export function enqueueEvent<S extends Subject>(tx: SqlExecutor, event: NewEvent<S>): Promise<BusMessage> {
  const payload: Record<string, unknown> = event.payload ?? {};
  return writeOutboxEvent(tx, {
    subject: event.subject,
    entityType: event.entityType,
    entityId: event.entityId,
    payload,
  });
}

/** Set while a Database transaction runs: whether it has written to the outbox. */
const outboxWrites = new AsyncLocalStorage<{ wrote: boolean }>();

/**
 * Runs `fn` (a transaction) and says whether it wrote an outbox row. A commit that wrote none
 * (a consumer's projection, a read) has nothing to publish, so its relay is not asked to look:
 * each such look was a query of its own on the engine every mutation shares.
 */
export async function trackingOutboxWrites<T>(fn: () => Promise<T>): Promise<{ result: T; wroteOutbox: boolean }> {
  const scope = { wrote: false };
  const result = await outboxWrites.run(scope, fn);
  return { result, wroteOutbox: scope.wrote };
}

/**
 * `enqueueEvent` without the catalogue's types, for what is not a domain event of the catalogue
 * (the outbox's and the bus's own tests write arbitrary subjects).
 */
export async function writeOutboxEvent(tx: SqlExecutor, event: OutboxEvent): Promise<BusMessage> {
  const id = randomUUID();
  const payload = event.payload ?? {};
  const writes = outboxWrites.getStore();
  if (writes) writes.wrote = true;
  // The writing operation's trace context, for the relay's later publish (decision 0025).
  const traceContext = currentTraceCarrier();
  const [row] = await tx.$queryRawUnsafe<Array<{ occurred_at: Date }>>(
    `INSERT INTO outbox (id, subject, entity_type, entity_id, payload, trace_context)
     VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING occurred_at`,
    id,
    event.subject,
    event.entityType,
    event.entityId,
    JSON.stringify(payload),
    traceContext ? JSON.stringify(traceContext) : null,
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

/**
 * Writes many events into the outbox in one statement, in order (their `seq` follows the array),
 * inside the caller's business transaction: what {@link writeOutboxEvent} does for each, for bulk
 * work where a round trip per event would be most of the cost.
 */
export async function writeOutboxEvents(tx: SqlExecutor, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const writes = outboxWrites.getStore();
  if (writes) writes.wrote = true;
  const rows = events.map((event) => ({
    id: randomUUID(),
    subject: event.subject,
    entityType: event.entityType,
    entityId: event.entityId,
    payload: event.payload ?? {},
  }));
  const traceContext = currentTraceCarrier();
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox (id, subject, entity_type, entity_id, payload, trace_context)
     SELECT (v->>'id')::uuid, v->>'subject', v->>'entityType', v->>'entityId', v->'payload', $2::jsonb
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, n) ORDER BY n`,
    JSON.stringify(rows),
    traceContext ? JSON.stringify(traceContext) : null,
  );
}
