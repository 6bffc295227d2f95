import { setTimeout as sleep } from "node:timers/promises";
import {
  AckPolicy,
  connect,
  DeliverPolicy,
  Events,
  JSONCodec,
  NatsError,
  nanos,
  StorageType,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from "nats";
import type { Logger } from "../logger.ts";
import { NatsConsumerLoop } from "./nats-consumer.ts";
import { traceHeaders, withoutTraceContext } from "./nats-trace-headers.ts";
import type { BusMessage, ConsumeOptions, Consumption, EventBus } from "./types.ts";

export interface NatsJetStreamBusOptions {
  /** One URL or a comma-separated list (`nats://a:4222,nats://b:4222`), or an array of them. */
  servers: string | string[];
  /** Connection name shown by `nats server report connections`; use the service name. */
  name: string;
  logger: Logger;
  /** Stream holding every Lotgraph event (default `LOTGRAPH`). */
  stream?: string;
  /** Subjects the stream captures (default `lotgraph.>`). */
  subjects?: string[];
  /** How long JetStream remembers a `Nats-Msg-Id` to drop republished duplicates (default 2 min). */
  duplicateWindowMs?: number;
  /**
   * How long the server waits for an ack before redelivering (default 5 s). Handlers that run
   * longer keep their message by signalling progress, so this bounds only how long a message
   * held by a consumer that vanished (crash, cut connection) or whose ack was lost stays blocked:
   * consumers take one message at a time, so that is how long the whole consumer waits.
   */
  ackWaitMs?: number;
  /** Timeout of one publish (until the PubAck) and of JetStream API calls (default 5 s). */
  requestTimeoutMs?: number;
}

/** Longest pause between reconnect attempts; NATS's own fixed wait is 2 s. */
const MAX_RECONNECT_DELAY_MS = 2_000;
/** How long `close()` lets the connection drain before closing it outright. */
const DRAIN_TIMEOUT_MS = 5_000;
/** JetStream API error codes (nats-server `errors.json`). */
const JS_ERR_STREAM_NOT_FOUND = 10059;
const JS_ERR_STREAM_NAME_IN_USE = 10058;
const JS_ERR_CONSUMER_NOT_FOUND = 10014;

/**
 * The services-mode bus: NATS JetStream. Events go to one file-backed stream, published with the
 * event id as `Nats-Msg-Id` so the stream drops the relay's republishes; consumers are durable
 * pull consumers with explicit acks and one message in flight, so each consumer sees events in
 * stream order even when several replicas share it (DESIGN.md §4.7, §7).
 */
export class NatsJetStreamBus implements EventBus {
  readonly kind = "nats" as const;
  readonly #codec = JSONCodec<BusMessage>();
  readonly #consumers = new Set<NatsConsumerLoop>();
  #closed = false;
  /** False between a Disconnect and the next Reconnect (see #watchStatus). */
  #reachable = true;
  #warnedClientFiltering = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly settings: Required<Omit<NatsJetStreamBusOptions, "servers" | "name">>,
  ) {}

  /**
   * Connects (reconnecting forever with back-off once connected; the first connection fails fast
   * so a misconfigured service does not start silently) and makes sure the stream exists with
   * the wanted configuration. Safe to call from many replicas at once.
   */
  static async connect(options: NatsJetStreamBusOptions): Promise<NatsJetStreamBus> {
    const settings = {
      logger: options.logger.child({ component: "nats-bus" }),
      stream: options.stream ?? "LOTGRAPH",
      subjects: options.subjects ?? ["lotgraph.>"],
      duplicateWindowMs: options.duplicateWindowMs ?? 120_000,
      ackWaitMs: options.ackWaitMs ?? 5_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    };
    let attempt = 0;
    const nc = await connect({
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: -1,
      // Exponential back-off with jitter, reset on every successful reconnect (see #watchStatus),
      // so a restarted server is not hammered by every service at once.
      reconnectDelayHandler: () => {
        const base = Math.min(MAX_RECONNECT_DELAY_MS, 50 * 2 ** attempt++);
        return base / 2 + Math.random() * (base / 2);
      },
      pingInterval: 10_000,
    });
    try {
      const jsm = await nc.jetstreamManager({ timeout: settings.requestTimeoutMs });
      const js = nc.jetstream({ timeout: settings.requestTimeoutMs });
      const bus = new NatsJetStreamBus(nc, js, jsm, settings);
      void bus.#watchStatus(() => (attempt = 0));
      await bus.#ensureStream();
      return bus;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  /** Name of the stream this bus publishes to and consumes from. */
  get stream(): string {
    return this.settings.stream;
  }

  /**
   * Publishes with the event id as `Nats-Msg-Id` and resolves on the PubAck. A PubAck flagged
   * `duplicate` is success: the stream already holds the event (the relay retried).
   */
  async publish(message: BusMessage): Promise<void> {
    if (this.#closed) throw new Error("event bus is closed");
    const headers = traceHeaders(message);
    await this.js.publish(message.subject, this.#codec.encode(withoutTraceContext(message)), {
      msgID: message.id,
      ...(headers && { headers }),
      timeout: this.settings.requestTimeoutMs,
      // A subject captured by some other stream would be acked by that stream; insist on ours.
      expect: { streamName: this.settings.stream },
    });
  }

  /**
   * Creates (or updates) the durable pull consumer and starts delivering to `handler`. Any
   * number of processes may consume the same durable; the server hands each message to one.
   */
  async consume(options: ConsumeOptions): Promise<Consumption> {
    if (this.#closed) throw new Error("event bus is closed");
    if (options.subjects.length === 0) throw new Error(`consumer ${options.durable}: no subjects`);
    const loop = new NatsConsumerLoop({
      js: this.js,
      stream: this.settings.stream,
      options,
      ensureConsumer: () => this.#ensureConsumer(options),
      ackWaitMs: this.settings.ackWaitMs,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      logger: this.settings.logger.child({ durable: options.durable }),
    });
    // Fail fast on a bad configuration (e.g. a durable whose filter cannot be changed); later
    // failures (server down) are retried by the loop itself.
    await this.#ensureConsumer(options);
    this.#consumers.add(loop);
    loop.start(() => this.#consumers.delete(loop));
    return { stop: () => loop.stop() };
  }

  /** Stops every consumer (in-flight messages are left unacknowledged), then drains. */
  /** The durable's unacknowledged messages as the server counts them (one JetStream API request). */
  async pending(durable: string): Promise<number | null> {
    try {
      const info = await this.jsm.consumers.info(this.settings.stream, durable);
      return info.num_pending + info.num_ack_pending;
    } catch (error) {
      if (apiErrorCode(error) === JS_ERR_CONSUMER_NOT_FOUND) return null;
      throw error;
    }
  }

  /** Whether the server is reachable now; publishes wait in the outbox while it is not. */
  connected(): boolean {
    return !this.#closed && this.#reachable && !this.nc.isClosed();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#consumers].map((loop) => loop.stop()));
    if (this.nc.isClosed()) return;
    // drain() flushes pending publishes and acks, but waits forever while disconnected.
    const drained = this.nc.drain().catch((error: unknown) => {
      this.settings.logger.warn({ err: error }, "NATS drain failed; closing");
    });
    const timedOut = await Promise.race([drained.then(() => false), sleep(DRAIN_TIMEOUT_MS, true, { ref: false })]);
    if (timedOut || !this.nc.isClosed()) await this.nc.close();
  }

  /** Deletes the stream and everything in it. For tests and tooling only. */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.settings.stream);
  }

  async #ensureStream(): Promise<void> {
    const { stream, subjects, duplicateWindowMs } = this.settings;
    const wanted: Partial<StreamConfig> & { name: string } = {
      name: stream,
      subjects,
      storage: StorageType.File,
      duplicate_window: nanos(duplicateWindowMs),
    };
    // Another replica may create it between our look-up and our add: retry once on a conflict.
    for (let round = 0; round < 2; round++) {
      try {
        const { config } = await this.jsm.streams.info(stream);
        if (config.storage !== StorageType.File) {
          throw new Error(`stream ${stream} uses ${config.storage} storage; events need file storage`);
        }
        const sameSubjects =
          config.subjects.length === subjects.length && subjects.every((s) => config.subjects.includes(s));
        if (!sameSubjects || config.duplicate_window !== wanted.duplicate_window) {
          await this.jsm.streams.update(stream, { subjects, duplicate_window: wanted.duplicate_window });
          this.settings.logger.info({ stream, subjects, duplicateWindowMs }, "updated JetStream stream");
        }
        return;
      } catch (error) {
        if (apiErrorCode(error) !== JS_ERR_STREAM_NOT_FOUND) throw error;
      }
      try {
        await this.jsm.streams.add(wanted);
        this.settings.logger.info({ stream, subjects }, "created JetStream stream");
        return;
      } catch (error) {
        if (apiErrorCode(error) !== JS_ERR_STREAM_NAME_IN_USE || round > 0) throw error;
      }
    }
  }

  /**
   * Creates the durable, or updates it when its filter or delivery settings differ from ours.
   * Updating keeps its position; a change the server refuses surfaces as an error rather than
   * silently deleting the durable (which would replay or skip events).
   */
  async #ensureConsumer(options: ConsumeOptions): Promise<void> {
    const { durable, subjects } = options;
    const { stream, ackWaitMs } = this.settings;
    const filter = this.#filterFor(subjects);
    const wanted: Partial<ConsumerConfig> = {
      ...filter,
      ack_wait: nanos(ackWaitMs),
      // One unacknowledged message at a time, across all replicas: strict stream order.
      max_ack_pending: 1,
      max_deliver: -1,
      ...(options.inactiveThresholdMs ? { inactive_threshold: nanos(options.inactiveThresholdMs) } : {}),
    };
    try {
      const { config } = await this.jsm.consumers.info(stream, durable);
      const current = {
        filter_subject: config.filter_subject || undefined,
        filter_subjects: config.filter_subjects?.length ? config.filter_subjects : undefined,
      };
      const differs =
        current.filter_subject !== filter.filter_subject ||
        (current.filter_subjects ?? []).join(" ") !== (filter.filter_subjects ?? []).join(" ") ||
        config.ack_wait !== wanted.ack_wait ||
        config.max_ack_pending !== 1 ||
        (wanted.inactive_threshold !== undefined && config.inactive_threshold !== wanted.inactive_threshold);
      if (differs) {
        await this.jsm.consumers.update(stream, durable, wanted);
        this.settings.logger.info({ durable, subjects }, "updated JetStream consumer");
      }
      return;
    } catch (error) {
      if (apiErrorCode(error) !== JS_ERR_CONSUMER_NOT_FOUND) throw error;
    }
    // Identical concurrent creates from several replicas all succeed on the server.
    await this.jsm.consumers.add(stream, {
      ...wanted,
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: options.startAt === "new" ? DeliverPolicy.New : DeliverPolicy.All,
    });
  }

  /**
   * Servers from 2.10 filter on several subjects (`filter_subjects`). Older ones take one
   * filter; with several we read the whole stream and the consumer loop acks what does not
   * match without handing it to the handler, which keeps ordering and durability intact.
   */
  #filterFor(subjects: string[]): { filter_subject?: string; filter_subjects?: string[] } {
    if (subjects.length === 1) return { filter_subject: subjects[0] };
    if (serverAtLeast(this.nc.info?.version, 2, 10)) return { filter_subjects: subjects };
    if (this.#warnedClientFiltering) return {};
    this.#warnedClientFiltering = true;
    this.settings.logger.warn(
      { subjects, server: this.nc.info?.version },
      "NATS server < 2.10 cannot filter on several subjects; filtering in the client",
    );
    return {};
  }

  async #watchStatus(onReconnect: () => void): Promise<void> {
    const { logger } = this.settings;
    for await (const status of this.nc.status()) {
      switch (status.type) {
        case Events.Disconnect:
          this.#reachable = false;
          logger.warn({ server: status.data }, "NATS disconnected; reconnecting");
          break;
        case Events.Reconnect:
          this.#reachable = true;
          onReconnect();
          logger.info({ server: status.data }, "NATS reconnected");
          break;
        case Events.Error:
          logger.error({ err: status.data }, "NATS connection error");
          break;
        default:
          break;
      }
    }
  }
}

/** The JetStream API error code carried by a nats.js error, if any. */
export function apiErrorCode(error: unknown): number | undefined {
  return error instanceof NatsError ? error.api_error?.err_code : undefined;
}

function serverAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? "");
  if (!match) return false;
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj > major || (maj === major && min >= minor);
}
