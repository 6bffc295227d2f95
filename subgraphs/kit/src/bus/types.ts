import type { TraceCarrier } from "../tracing/propagation.ts";

/**
 * The EventBus port. Domain events travel from a subgraph's transactional outbox to the bus
 * (published by the outbox relay) and from the bus to durable consumers (projections, the live
 * layer). Every adapter must pass `tests/conformance/event-bus.test.ts`.
 */

/** One domain event as it travels on the bus. It carries the entity key and a small payload. */
export interface BusMessage {
  /** Globally unique event id (UUID). Used for de-duplication by the bus and by consumers. */
  id: string;
  /** Subject, `lotgraph.<context>.<entity>.<verb>`, e.g. `lotgraph.inventory.lot.received`. */
  subject: string;
  /** GraphQL `__typename` of the entity the event is about, e.g. `Lot`. */
  entityType: string;
  /** Id of that entity. Events of one entity are delivered in the order they were written. */
  entityId: string;
  /** Event-specific data, validated by the consumer with zod before use. */
  payload: Record<string, unknown>;
  /** ISO 8601 time the business transaction wrote the event. */
  occurredAt: string;
  /**
   * W3C trace context of the span that published it (traceparent, tracestate), when tracing is
   * on. It travels beside the event (NATS message headers), never in its body (tracing/).
   */
  traceContext?: TraceCarrier;
}

/** Called for every delivered message. Throwing means "not processed": the bus redelivers it. */
export type MessageHandler = (message: BusMessage) => Promise<void>;

export interface ConsumeOptions {
  /** Durable consumer name. A consumer restarted with the same name resumes after its last ack. */
  durable: string;
  /** Subject filters; `*` matches one token and `>` the rest, as in NATS. */
  subjects: string[];
  handler: MessageHandler;
  /** Delay before a failed message is redelivered (default 200 ms). */
  redeliveryDelayMs?: number;
  /**
   * Where a durable that does not exist yet starts: at the first message the bus still holds
   * (`all`, the default: projections need the whole history) or after the last one (`new`: the
   * live layer serves what happens from now on). An existing durable resumes where it stopped.
   */
  startAt?: "all" | "new";
  /**
   * Lets the bus delete the durable once no process has consumed it for this long (NATS
   * `inactive_threshold`). For per-replica durables, such as a gateway's, that would otherwise
   * pile up as replicas come and go. Unset: the durable is kept forever.
   */
  inactiveThresholdMs?: number;
}

/** A running consumer. */
export interface Consumption {
  /** Stops delivery; an unacknowledged message in flight is redelivered to the next consumer. */
  stop(): Promise<void>;
}

export interface EventBus {
  readonly kind: "in-process" | "nats";
  /**
   * Publishes one message and resolves once the bus has accepted it durably. Publishing the same
   * `id` twice is harmless: the bus keeps the first (within its de-duplication window) and
   * consumers de-duplicate by id as well.
   */
  publish(message: BusMessage): Promise<void>;
  /** Starts a durable consumer; messages arrive one at a time, in publish order. */
  consume(options: ConsumeOptions): Promise<Consumption>;
  /** Stops all consumers and releases connections. */
  close(): Promise<void>;
  /** Whether the bus is reachable now (a networked bus between a disconnect and its reconnect is not). */
  connected?(): boolean;
  /**
   * Of these message ids, those every durable consumer has acknowledged. Only a bus that forgets
   * at a restart (in-process) offers it: the relay records the answer, so a restart republishes
   * only what some consumer had not acknowledged.
   */
  acknowledgedByAll?(ids: readonly string[]): string[];
  /**
   * How many messages durable consumer `durable` has not acknowledged yet (its lag, for metrics);
   * null when the bus holds no such durable.
   */
  pending?(durable: string): Promise<number | null>;
}

/** True when `subject` matches the NATS-style `filter` (`*` = one token, `>` = one or more). */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split(".");
  const s = subject.split(".");
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === ">") return s.length > i;
    if (i >= s.length) return false;
    if (token !== "*" && token !== s[i]) return false;
  }
  return f.length === s.length;
}
