import { GraphQLError, parse, type DocumentNode, type ExecutionResult } from "graphql";
import { subjectMatches, type BusMessage, type Logger, type Role } from "@lotgraph/kit";
import type { LiveBinding, LiveEventKey } from "./bindings.ts";
import { ConcurrencyLimit } from "./concurrency-limit.ts";
import { ENTITY_ID_VARIABLE, type LiveOperation } from "./live-operation.ts";
import { SocketSubscriber, type SocketTarget } from "./socket-subscriber.ts";
import { SubscriberQueue, type LiveSubscriber } from "./subscriber-queue.ts";

/** Runs a query through the federated executor as a caller holding `roles`. */
export type LiveExecutor = (
  document: DocumentNode,
  variables: Record<string, unknown>,
  roles: readonly Role[],
) => Promise<ExecutionResult>;

export interface LiveHubOptions {
  execute: LiveExecutor;
  logger: Logger;
  /** Updates a subscriber may have waiting before it is ended as too slow (default 1000). */
  subscriberQueueCapacity?: number;
  /** Bytes a subscriber's socket may hold unsent before it is ended as too slow (default 4 MiB). */
  subscriberSocketBufferBytes?: number;
  /** Federated executions in flight at once, over all groups (default 32). */
  maxConcurrentExecutions?: number;
  /** Entities whose filter attributes are remembered (default 50 000). */
  attributeCacheSize?: number;
}

/** What the hub has done since it started; the fan-out bench and /readyz-style probes read it. */
export interface LiveHubStats {
  events: number;
  executions: number;
  deliveries: number;
  /** Subscribers ended because they could not keep up. */
  overflows: number;
  groups: number;
  subscribers: number;
}

/**
 * Subscribers that share one execution per event: the same field, arguments, selection, variables
 * and roles. Roles are part of the key because a subgraph may answer differently per role; the
 * caller's identity is not, since no read depends on who asks beyond their roles.
 */
interface Group {
  key: string;
  operation: LiveOperation;
  roles: readonly Role[];
  subscribers: Set<LiveSubscriber<ExecutionResult>>;
  /** Per entity, the last execution queued: the next one for that entity waits for it. */
  lastByEntity: Map<string, Promise<ExecutionResult | null>>;
  /** Per entity, an execution queued that has not begun reading yet (events arriving meanwhile share it). */
  waitingByEntity: Map<string, { result: Promise<ExecutionResult | null> }>;
  /** Deliveries, chained so that subscribers get results in event order. */
  delivery: Promise<void>;
}

/**
 * The live layer's core (DESIGN.md §1): routes each bus event to the subscription groups whose
 * arguments it matches, runs each matching group's selection once as a federated query on the
 * event's entity, and hands the result to every subscriber of the group.
 *
 * Order: a group's subscribers receive results in event order. Executions for different entities
 * overlap; for one entity they run one after the other, so a later update never shows older state
 * than an earlier one.
 */
export class LiveHub {
  readonly #groups = new Map<string, Group>();
  readonly #attributes: Map<string, Record<string, string | null>> = new Map();
  readonly #limit: ConcurrencyLimit;
  readonly #stats = { events: 0, executions: 0, deliveries: 0, overflows: 0 };
  readonly #capacity: number;
  readonly #socketBufferBytes: number;
  readonly #attributeCacheSize: number;
  #closed = false;

  constructor(private readonly options: LiveHubOptions) {
    this.#limit = new ConcurrencyLimit(options.maxConcurrentExecutions ?? 32);
    this.#capacity = options.subscriberQueueCapacity ?? 1_000;
    this.#socketBufferBytes = options.subscriberSocketBufferBytes ?? 4 * 1024 * 1024;
    this.#attributeCacheSize = options.attributeCacheSize ?? 50_000;
  }

  /**
   * Registers a subscriber; its iterator ends when the client leaves or the hub closes. With a
   * socket target (graphql-ws), updates are written to the socket directly and the iterator
   * only tells when the subscription ends; otherwise (server-sent events) the iterator yields them.
   */
  subscribe(
    operation: LiveOperation,
    roles: readonly Role[],
    socket?: SocketTarget,
  ): AsyncIterableIterator<ExecutionResult> {
    const sortedRoles = [...roles].sort();
    // The arguments are not in the query text (they become filters), so they are keyed apart.
    const key = [
      operation.binding.field,
      stableJson(operation.args),
      operation.queryText,
      stableJson(operation.variables),
      sortedRoles.join(","),
    ].join("\u0000");
    let group = this.#groups.get(key);
    if (!group) {
      group = {
        key,
        operation,
        roles: sortedRoles,
        subscribers: new Set(),
        lastByEntity: new Map(),
        waitingByEntity: new Map(),
        delivery: Promise.resolve(),
      };
      this.#groups.set(key, group);
    }
    const joined = group;
    const overflow = (limit: string) => (): ExecutionResult => {
      this.#stats.overflows++;
      return { errors: [tooSlow(limit)] };
    };
    const leave = () => this.#leave(joined, subscriber);
    const subscriber: LiveSubscriber<ExecutionResult> = socket
      ? new SocketSubscriber(
          socket,
          this.#socketBufferBytes,
          overflow(`${this.#socketBufferBytes} unsent bytes`),
          leave,
        )
      : new SubscriberQueue<ExecutionResult>(this.#capacity, overflow(`${this.#capacity} updates`), leave);
    if (this.#closed) subscriber.end();
    else joined.subscribers.add(subscriber);
    return subscriber;
  }

  /**
   * The bus handler: routes one event. It resolves once the event is queued on every matching
   * group (after any attribute look-up), so the bus's one-at-a-time delivery keeps event order.
   */
  async dispatch(message: BusMessage, bindings: readonly LiveBinding[]): Promise<void> {
    if (this.#closed) return;
    this.#stats.events++;
    for (const binding of bindings) {
      if (!binding.subjects.some((subject) => subjectMatches(subject, message.subject))) continue;
      const key = binding.keyOf(message);
      if (!key) continue;
      this.#remember(binding, key);
      const groups = [...this.#groups.values()].filter((group) => group.operation.binding === binding);
      if (groups.length === 0) continue;
      const attributes = await this.#attributesFor(binding, key, groups);
      for (const group of groups) {
        if (matches(group.operation, key.entityId, attributes)) this.#enqueue(group, key.entityId);
      }
    }
  }

  stats(): LiveHubStats {
    let subscribers = 0;
    for (const group of this.#groups.values()) subscribers += group.subscribers.size;
    return { ...this.#stats, groups: this.#groups.size, subscribers };
  }

  /** Ends every subscriber (they complete) and refuses new events. */
  close(): void {
    this.#closed = true;
    for (const group of [...this.#groups.values()]) for (const queue of [...group.subscribers]) queue.end();
  }

  #leave(group: Group, subscriber: LiveSubscriber<ExecutionResult>): void {
    group.subscribers.delete(subscriber);
    if (group.subscribers.size === 0 && this.#groups.get(group.key) === group) this.#groups.delete(group.key);
  }

  #enqueue(group: Group, entityId: string): void {
    // An execution of this entity that has not begun reading will see state at least as new as
    // this event: it answers this event too. So a burst on one lot costs one query, not one per
    // event, and the queue per entity never holds more than one execution. Each event still gets
    // its message.
    const waiting = group.waitingByEntity.get(entityId);
    if (waiting) {
      group.delivery = group.delivery.then(async () => this.#deliver(group, await waiting.result));
      return;
    }
    const previous = group.lastByEntity.get(entityId) ?? Promise.resolve(null);
    const pending = { result: Promise.resolve<ExecutionResult | null>(null) };
    const result = previous.then(() =>
      this.#limit.run(() => {
        if (group.waitingByEntity.get(entityId) === pending) group.waitingByEntity.delete(entityId);
        return this.#execute(group, entityId);
      }),
    );
    pending.result = result;
    group.waitingByEntity.set(entityId, pending);
    group.lastByEntity.set(entityId, result);
    void result.then(() => {
      if (group.lastByEntity.get(entityId) === result) group.lastByEntity.delete(entityId);
    });
    group.delivery = group.delivery.then(async () => this.#deliver(group, await result));
  }

  /** Never rejects: a failure becomes an error result the subscribers see. */
  async #execute(group: Group, entityId: string): Promise<ExecutionResult | null> {
    if (group.subscribers.size === 0) return null;
    this.#stats.executions++;
    const { operation } = group;
    try {
      const result = await this.options.execute(
        operation.query,
        { ...operation.variables, [ENTITY_ID_VARIABLE]: entityId },
        group.roles,
      );
      const entity = result.data?.[operation.responseKey];
      // The entity is gone or not visible to these roles, without an error: nothing to say.
      if ((entity === null || entity === undefined) && !result.errors?.length) return null;
      return result;
    } catch (error) {
      this.options.logger.error({ err: error, field: operation.binding.field, entityId }, "live update failed");
      return {
        errors: [new GraphQLError("the live update could not be loaded", { extensions: { code: "INTERNAL" } })],
      };
    }
  }

  #deliver(group: Group, result: ExecutionResult | null): void {
    if (!result) return;
    for (const subscriber of group.subscribers) {
      if (subscriber.push(result)) this.#stats.deliveries++;
    }
  }

  /** Filter attributes of the event, looked up only when a group filters on one it lacks. */
  async #attributesFor(
    binding: LiveBinding,
    key: LiveEventKey,
    groups: readonly Group[],
  ): Promise<Record<string, string | null | undefined>> {
    const known = { ...this.#attributes.get(cacheKey(binding, key.entityId)), ...definedOnly(key.attributes) };
    const wanted = new Set<string>();
    for (const group of groups) {
      for (const [argument, attribute] of Object.entries(binding.filters)) {
        if (attribute !== "entityId" && group.operation.args[argument] != null && known[attribute] === undefined) {
          wanted.add(attribute);
        }
      }
    }
    if (wanted.size === 0 || !binding.lookup) return known;
    try {
      const result = await this.options.execute(parsedOnce(binding.lookup.query), { id: key.entityId }, ["VIEWER"]);
      if (result.data) {
        const found = binding.lookup.read(result.data);
        this.#store(binding, key.entityId, found);
        return { ...known, ...found };
      }
      this.options.logger.warn({ errors: result.errors, field: binding.field }, "live attribute look-up failed");
    } catch (error) {
      this.options.logger.warn({ err: error, field: binding.field }, "live attribute look-up failed");
    }
    return known;
  }

  #remember(binding: LiveBinding, key: LiveEventKey): void {
    const defined = definedOnly(key.attributes);
    if (Object.keys(defined).length > 0) this.#store(binding, key.entityId, defined);
  }

  #store(binding: LiveBinding, entityId: string, attributes: Record<string, string | null>): void {
    const cacheId = cacheKey(binding, entityId);
    const merged = { ...this.#attributes.get(cacheId), ...attributes };
    this.#attributes.delete(cacheId); // re-inserted last: the map's order is least recently used first
    this.#attributes.set(cacheId, merged);
    if (this.#attributes.size > this.#attributeCacheSize) {
      const oldest = this.#attributes.keys().next().value;
      if (oldest !== undefined) this.#attributes.delete(oldest);
    }
  }
}

/** True when every filtering argument the subscriber gave equals the event's attribute. */
function matches(
  operation: LiveOperation,
  entityId: string,
  attributes: Record<string, string | null | undefined>,
): boolean {
  for (const [argument, attribute] of Object.entries(operation.binding.filters)) {
    const wanted = operation.args[argument];
    if (wanted === null || wanted === undefined) continue;
    const actual = attribute === "entityId" ? entityId : attributes[attribute];
    if (actual !== wanted) return false;
  }
  return true;
}

const parsedQueries = new Map<string, DocumentNode>();
function parsedOnce(query: string): DocumentNode {
  let document = parsedQueries.get(query);
  if (!document) parsedQueries.set(query, (document = parse(query)));
  return document;
}

function definedOnly(attributes: Record<string, string | null | undefined>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value;
  return out;
}

function cacheKey(binding: LiveBinding, entityId: string): string {
  return `${binding.field}:${entityId}`;
}

function tooSlow(limit: string): GraphQLError {
  return new GraphQLError(
    `this subscription fell more than ${limit} behind and was ended; query the current state and subscribe again`,
    { extensions: { code: "SUBSCRIBER_TOO_SLOW" } },
  );
}

/** JSON with object keys sorted, so equal variables give equal group keys. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
