import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { BusMessage, EventBus } from "../bus/types.ts";
import type { SqlDriver } from "../db/sql.ts";
import type { TraceCarrier } from "../tracing/propagation.ts";

export interface OutboxRelayOptions {
  driver: SqlDriver;
  bus: EventBus;
  logger: Logger;
  /** Lease name; one per database. */
  name?: string;
  /** Poll interval when nothing kicks the relay (default 250 ms). */
  pollMs?: number;
  /** Rows published per round (default 200). */
  batchSize?: number;
  /** How long a lease lasts without renewal (default 10 s). */
  leaseMs?: number;
}

/**
 * How far back an embedded-mode start looks for events consumers may not have acknowledged. The
 * in-process bus forgets everything at a restart; the relay records which events every durable
 * consumer acknowledged (`delivered_at`), and only the others are published again. Rows older
 * than this were delivered in any realistic run; consumers de-duplicate by id regardless.
 */
export const IN_PROCESS_REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  entity_type: string;
  entity_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  trace_context: TraceCarrier | null;
}

/**
 * Publishes committed outbox rows to the bus in commit order, with the row id as the message id
 * (JetStream's `Nats-Msg-Id`), then marks them published. Only the replica holding the lease
 * publishes, so per-entity order survives scale-out. If the bus is down, rows simply wait: the
 * relay retries with back-off and nothing is lost (DESIGN.md §4.7).
 */
export class OutboxRelay {
  readonly #options: Required<Omit<OutboxRelayOptions, "logger" | "driver" | "bus">>;
  readonly #holder = randomUUID();
  #running = false;
  #loop: Promise<void> | null = null;
  #kick: (() => void) | null = null;
  #kicked = false;
  #failures = 0;
  /** Until when (performance.now()) the lease is surely ours without renewing it. */
  #leaseSureUntil = 0;
  /** Ids published by this relay that not every consumer has acknowledged yet (in-process bus only). */
  #unacknowledged: string[] = [];

  constructor(private readonly deps: OutboxRelayOptions) {
    this.#options = {
      name: deps.name ?? "outbox",
      pollMs: deps.pollMs ?? 250,
      batchSize: deps.batchSize ?? 200,
      leaseMs: deps.leaseMs ?? 10_000,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Asks the relay to look at the outbox now (called after each commit). */
  kick(): void {
    this.#kicked = true;
    this.#kick?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#kick?.();
    await this.#loop;
    // What consumers acknowledged before the stop is never republished by the next start.
    await this.#recordAcknowledged().catch(() => undefined);
    await this.deps.driver
      .query("DELETE FROM outbox_lease WHERE name = $1 AND holder = $2", [this.#options.name, this.#holder])
      .catch(() => undefined);
  }

  /** Publishes everything pending once; returns how many rows were published. For tests and tools. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.#publishBatch();
      total += published;
      if (published < this.#options.batchSize) return total;
    }
  }

  /**
   * Marks rows published within the last `windowMs` that not every consumer acknowledged as
   * unpublished again, so they go out once more. Only for a bus without durable storage (see
   * {@link IN_PROCESS_REPLAY_WINDOW_MS}).
   */
  async replayUnacknowledged(windowMs: number): Promise<number> {
    const rows = await this.deps.driver.query(
      `UPDATE outbox SET published_at = NULL
        WHERE published_at > now() - ($1::int * interval '1 millisecond') AND delivered_at IS NULL RETURNING seq`,
      [windowMs],
    );
    return rows.length;
  }

  /** Number of rows not yet published (for /readyz and metrics). */
  async backlog(): Promise<number> {
    const [row] = await this.deps.driver.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM outbox WHERE published_at IS NULL",
    );
    return Number(row?.n ?? 0);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      try {
        const published = (await this.#holdLease()) ? await this.#publishBatch() : 0;
        await this.#recordAcknowledged();
        this.#failures = 0;
        if (published === this.#options.batchSize) continue;
      } catch (error) {
        this.#failures++;
        this.#leaseSureUntil = 0;
        this.deps.logger.warn({ err: error, failures: this.#failures }, "outbox relay could not publish; will retry");
      }
      await this.#idle();
    }
  }

  async #idle(): Promise<void> {
    if (this.#kicked) {
      this.#kicked = false;
      if (this.#failures === 0) return;
    }
    const backoff = this.#failures === 0 ? this.#options.pollMs : Math.min(5_000, 100 * 2 ** this.#failures);
    const controller = new AbortController();
    this.#kick = () => controller.abort();
    await sleep(backoff, undefined, { signal: controller.signal }).catch(() => undefined);
    this.#kick = null;
    this.#kicked = false;
  }

  /**
   * Takes or renews the lease, unless less than half of it has run since it was last renewed:
   * an idle relay then costs one read per poll instead of a write (in embedded mode, five
   * PGlite databases each wrote their lease four times a second).
   */
  async #holdLease(): Promise<boolean> {
    if (performance.now() < this.#leaseSureUntil) return true;
    // Timed from before the statement: the database's expiry is later still.
    const asked = performance.now();
    const held = await this.#acquireLease();
    this.#leaseSureUntil = held ? asked + this.#options.leaseMs / 2 : 0;
    return held;
  }

  async #acquireLease(): Promise<boolean> {
    const rows = await this.deps.driver.query(
      `INSERT INTO outbox_lease (name, holder, expires_at)
       VALUES ($1, $2, now() + ($3::int * interval '1 millisecond'))
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE outbox_lease.holder = EXCLUDED.holder OR outbox_lease.expires_at < now()
       RETURNING holder`,
      [this.#options.name, this.#holder, this.#options.leaseMs],
    );
    return rows.length === 1;
  }

  async #publishBatch(): Promise<number> {
    // `outbox.seq`, qualified: a bare `seq` in ORDER BY names the text output column, which
    // sorts "10" before "2".
    const rows = await this.deps.driver.query<OutboxRow>(
      `SELECT seq::text, id::text, subject, entity_type, entity_id, payload, occurred_at, trace_context
         FROM outbox WHERE published_at IS NULL ORDER BY outbox.seq LIMIT $1`,
      [this.#options.batchSize],
    );
    for (const row of rows) {
      await this.deps.bus.publish(toMessage(row));
      // Marked one by one: a crash mid-batch republishes at most one row, which the bus and
      // consumers de-duplicate by id.
      await this.deps.driver.query("UPDATE outbox SET published_at = now() WHERE seq = $1::bigint", [row.seq]);
      if (this.deps.bus.acknowledgedByAll) this.#unacknowledged.push(row.id);
    }
    return rows.length;
  }

  /** Stamps `delivered_at` on the rows every consumer has acknowledged since the last look. */
  async #recordAcknowledged(): Promise<void> {
    if (this.#unacknowledged.length === 0 || !this.deps.bus.acknowledgedByAll) return;
    const acknowledged = this.deps.bus.acknowledgedByAll(this.#unacknowledged);
    if (acknowledged.length === 0) return;
    await this.deps.driver.query("UPDATE outbox SET delivered_at = now() WHERE id = ANY($1::uuid[])", [acknowledged]);
    const done = new Set(acknowledged);
    this.#unacknowledged = this.#unacknowledged.filter((id) => !done.has(id));
  }
}

function toMessage(row: OutboxRow): BusMessage {
  return {
    id: row.id,
    subject: row.subject,
    entityType: row.entity_type,
    entityId: row.entity_id,
    payload: row.payload,
    occurredAt: new Date(row.occurred_at).toISOString(),
    // The writing operation's trace: the publish joins it (decision 0025).
    ...(row.trace_context?.traceparent && { traceContext: row.trace_context }),
  };
}
