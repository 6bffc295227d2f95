import { appendAudit, appendAuditBatch, type AuditActor, type AuditEntryInput } from "../audit/audit.ts";
import type { SqlExecutor } from "../db/sql.ts";
import type { Subject } from "../events/catalog.ts";
import { writeOutboxEvent, writeOutboxEvents, type NewEvent, type OutboxEvent } from "../outbox/outbox.ts";

/** An audit entry as a command's body records it: the command names the actor. */
export type CommandAudit = Omit<AuditEntryInput, "actor">;

/**
 * What a command's body records beside its writes. The command writes them in the body's
 * transaction once the body has returned, so a body that throws leaves neither behind.
 */
export interface CommandRecorder {
  audit(entry: CommandAudit): void;
  /** Like `enqueueEvent`, typed by the subject: the payload must match the subject's schema. */
  event<S extends Subject>(event: NewEvent<S>): void;
}

/** A recorder that keeps entries in order until {@link flushRecords} writes them. */
export interface PendingRecords extends CommandRecorder {
  readonly audits: readonly CommandAudit[];
  readonly events: readonly OutboxEvent[];
}

export function pendingRecords(): PendingRecords {
  const audits: CommandAudit[] = [];
  const events: OutboxEvent[] = [];
  return {
    audits,
    events,
    audit: (entry) => void audits.push(entry),
    event: <S extends Subject>(event: NewEvent<S>) => {
      const payload: Record<string, unknown> = event.payload ?? {};
      events.push({ subject: event.subject, entityType: event.entityType, entityId: event.entityId, payload });
    },
  };
}

/**
 * Writes the recorded events, then the audit entries, in `tx`. Audit entries go last on purpose:
 * appending one takes the audit chain's lock, which every writer of the subgraph shares and which
 * is held until commit, so taking it at the end keeps it held for the shortest time.
 */
export async function flushRecords(tx: SqlExecutor, actor: AuditActor, records: PendingRecords): Promise<void> {
  for (const event of records.events) await writeOutboxEvent(tx, event);
  for (const entry of records.audits) await appendAudit(tx, { ...entry, actor });
}

/**
 * {@link flushRecords} for bulk work: the same events and entries, in the same order, written
 * with one statement for the events and one for the audit entries.
 */
export async function flushRecordsInBulk(tx: SqlExecutor, actor: AuditActor, records: PendingRecords): Promise<void> {
  await writeOutboxEvents(tx, records.events);
  await appendAuditBatch(
    tx,
    records.audits.map((entry) => ({ ...entry, actor })),
  );
}
