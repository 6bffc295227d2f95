import { setImmediate as macrotask, setTimeout as sleep } from "node:timers/promises";
import { subjectMatches, type BusMessage, type ConsumeOptions, type Consumption, type EventBus } from "./types.ts";

/**
 * The embedded-mode bus: an append-only in-memory log with durable cursors, so it behaves like a
 * JetStream stream for one process (ordered delivery, ack after the handler, redelivery on
 * failure, resume after a consumer stops). It does not survive a restart; the outbox tables do:
 * the relay records which events every durable consumer acknowledged (acknowledgedByAll), and a
 * start re-feeds the others (OutboxRelay.replayUnacknowledged).
 */
export class InProcessBus implements EventBus {
  readonly kind = "in-process" as const;
  readonly #log: BusMessage[] = [];
  /** message id → its index in the log */
  readonly #indexOf = new Map<string, number>();
  /** durable name → index of the next message to deliver */
  readonly #cursors = new Map<string, number>();
  /** Durables that read history (not `startAt: "new"`): the ones a restart must re-feed. */
  readonly #replaying = new Set<string>();
  readonly #running = new Set<RunningConsumer>();
  /** durable name → its subject filters (for its lag) */
  readonly #filters = new Map<string, readonly string[]>();
  #wake: Array<() => void> = [];
  #closed = false;

  async publish(message: BusMessage): Promise<void> {
    if (this.#closed) throw new Error("event bus is closed");
    if (this.#indexOf.has(message.id)) return;
    this.#indexOf.set(message.id, this.#log.length);
    this.#log.push(structuredClone(message));
    const waiters = this.#wake;
    this.#wake = [];
    for (const wake of waiters) wake();
  }

  async consume(options: ConsumeOptions): Promise<Consumption> {
    if (this.#closed) throw new Error("event bus is closed");
    if (options.startAt === "new" && !this.#cursors.has(options.durable)) {
      this.#cursors.set(options.durable, this.#log.length);
    } else if (options.startAt !== "new") {
      this.#replaying.add(options.durable);
    }
    this.#filters.set(options.durable, options.subjects);
    const consumer = new RunningConsumer(options);
    this.#running.add(consumer);
    consumer.done = this.#deliver(consumer).finally(() => this.#running.delete(consumer));
    return {
      stop: async () => {
        consumer.stopped = true;
        this.#notifyAll();
        await consumer.done;
      },
    };
  }

  acknowledgedByAll(ids: readonly string[]): string[] {
    if (this.#replaying.size === 0) return [];
    // Every message before the slowest durable's cursor has been acknowledged (or skipped, not
    // matching its subjects) by every durable.
    const through = Math.min(...[...this.#replaying].map((durable) => this.#cursors.get(durable) ?? 0));
    return ids.filter((id) => (this.#indexOf.get(id) ?? Infinity) < through);
  }

  /** Messages after the durable's cursor that match its subjects (a scan, capped at PENDING_SCAN_LIMIT). */
  async pending(durable: string): Promise<number | null> {
    const filters = this.#filters.get(durable);
    if (!filters) return null;
    const from = this.#cursors.get(durable) ?? 0;
    const to = Math.min(this.#log.length, from + PENDING_SCAN_LIMIT);
    let pending = 0;
    for (let index = from; index < to; index++) {
      const subject = this.#log[index]!.subject;
      if (filters.some((filter) => subjectMatches(filter, subject))) pending++;
    }
    return pending;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const consumer of this.#running) consumer.stopped = true;
    this.#notifyAll();
    await Promise.all([...this.#running].map((c) => c.done));
  }

  #notifyAll(): void {
    const waiters = this.#wake;
    this.#wake = [];
    for (const wake of waiters) wake();
  }

  async #deliver(consumer: RunningConsumer): Promise<void> {
    const { durable, subjects, handler } = consumer.options;
    const delay = consumer.options.redeliveryDelayMs ?? 200;
    let ranSince = performance.now();
    while (!consumer.stopped) {
      // A backlog (a bulk import's thousands of events) is worked through in promise callbacks
      // only: without a turn of the event loop now and then, HTTP, sockets and timers of the
      // whole process wait until it is gone.
      if (performance.now() - ranSince > YIELD_AFTER_MS) {
        await macrotask();
        ranSince = performance.now();
        continue; // it may have been stopped meanwhile
      }
      const index = this.#cursors.get(durable) ?? 0;
      const message = this.#log[index];
      if (!message) {
        await new Promise<void>((resolve) => this.#wake.push(resolve));
        continue;
      }
      if (subjects.some((filter) => subjectMatches(filter, message.subject))) {
        try {
          await handler(structuredClone(message));
        } catch {
          if (!consumer.stopped) await sleep(delay);
          continue; // not acknowledged: the same message is delivered again
        }
      }
      // A consumer stopped while its handler ran does not ack; the next one gets the message again.
      if (consumer.stopped) return;
      this.#cursors.set(durable, index + 1);
    }
  }
}

/** How far a lag count scans: beyond it a scrape would cost more than the figure is worth. */
const PENDING_SCAN_LIMIT = 100_000;

/** How long a consumer works through its backlog before it lets the event loop take a turn. */
const YIELD_AFTER_MS = 20;

class RunningConsumer {
  stopped = false;
  done: Promise<void> = Promise.resolve();
  constructor(readonly options: ConsumeOptions) {}
}
