import { setTimeout as sleep } from "node:timers/promises";
import type { ConsumerMessages, JetStreamClient, JsMsg } from "nats";
import type { Logger } from "../logger.ts";
import { parseBusMessage } from "./message-schema.ts";
import { traceContextOfHeaders } from "./nats-trace-headers.ts";
import { subjectMatches, type ConsumeOptions } from "./types.ts";

export interface NatsConsumerLoopDeps {
  js: JetStreamClient;
  stream: string;
  options: ConsumeOptions;
  /** Creates or repairs the durable (after it was deleted, or the stream was recreated). */
  ensureConsumer: () => Promise<void>;
  ackWaitMs: number;
  requestTimeoutMs: number;
  logger: Logger;
}

/** Cap of the pause between attempts to resume consuming after an error. */
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Delivers one durable JetStream pull consumer to a handler, one message at a time, until
 * stopped. nats.js re-issues pulls after a reconnect; this loop handles what it gives up on
 * (consumer or stream deleted, requests failing while the server is away) by re-creating the
 * consumer and starting over with back-off, so a consumer outlives any outage.
 */
export class NatsConsumerLoop {
  #stopped = false;
  #done: Promise<void> = Promise.resolve();
  #messages: ConsumerMessages | null = null;
  readonly #wake = new AbortController();

  constructor(private readonly deps: NatsConsumerLoopDeps) {}

  start(onExit: () => void): void {
    this.#done = this.#run().finally(onExit);
  }

  /** Ends the loop after the in-flight handler (if any) returns; that message is not acked. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#messages?.stop();
    this.#wake.abort();
    await this.#done;
  }

  async #run(): Promise<void> {
    const { js, stream, options, logger } = this.deps;
    let failures = 0;
    let consumerChecked = true; // NatsJetStreamBus.consume() ensured it just before start()
    while (!this.#stopped) {
      try {
        if (!consumerChecked) await this.deps.ensureConsumer();
        consumerChecked = false;
        const consumer = await js.consumers.get(stream, options.durable);
        // One message per pull: while a handler runs no pull request is outstanding, so a
        // message released by stop() goes straight to the next consumer instead of to a pull
        // request nobody will read. abort_on_missing_resource hands a deleted consumer to us,
        // since nats.js would otherwise wait forever for it to reappear.
        const messages = await consumer.consume({ max_messages: 1, abort_on_missing_resource: true });
        this.#messages = messages;
        if (this.#stopped) break;
        for await (const msg of messages) {
          failures = 0;
          await this.#handle(msg);
          if (this.#stopped) break;
        }
        if (!this.#stopped) throw new Error("JetStream message iterator ended");
      } catch (error) {
        if (this.#stopped) break;
        failures++;
        logger.warn({ err: error, failures }, "JetStream consumer interrupted; resuming");
      } finally {
        this.#messages?.stop();
        this.#messages = null;
      }
      const delay = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** failures);
      await sleep(delay, undefined, { signal: this.#wake.signal }).catch(() => undefined);
    }
  }

  async #handle(msg: JsMsg): Promise<void> {
    const { options, logger } = this.deps;
    const parsed = parseBusMessage(msg.data);
    if (!parsed.ok || parsed.message.subject !== msg.subject) {
      // Redelivering a message that can never be read would block the consumer forever.
      const reason = parsed.ok ? `subject ${parsed.message.subject} does not match ${msg.subject}` : parsed.reason;
      logger.error({ subject: msg.subject, seq: msg.seq, reason }, "malformed event terminated");
      settle(() => msg.term(), logger);
      return;
    }
    const traceContext = traceContextOfHeaders(msg.headers);
    const message = traceContext ? { ...parsed.message, traceContext } : parsed.message;
    if (!options.subjects.some((filter) => subjectMatches(filter, message.subject))) {
      settle(() => msg.ack(), logger); // only when the server could not filter (< 2.10)
      return;
    }
    // A long handler keeps its message: "in progress" acks restart the server's ack timer.
    const progress = setInterval(() => settle(() => msg.working(), logger), Math.max(500, this.deps.ackWaitMs / 3));
    let handled = false;
    try {
      await options.handler(message);
      handled = true;
    } catch (error) {
      logger.warn(
        { err: error, event: message.id, subject: message.subject },
        "handler failed; event will be redelivered",
      );
    } finally {
      clearInterval(progress);
    }
    if (this.#stopped) {
      // The port's contract: a stopped consumer does not ack. nak() without delay hands the
      // message to the next consumer at once rather than after ack_wait.
      settle(() => msg.nak(), logger);
      return;
    }
    if (!handled) {
      settle(() => msg.nak(options.redeliveryDelayMs ?? 200), logger);
      return;
    }
    try {
      // Wait for the server to confirm, so the next message is never seen before this one is
      // settled; a lost ack only means a redelivery, which consumers de-duplicate.
      await msg.ackAck({ timeout: this.deps.requestTimeoutMs });
    } catch (error) {
      logger.warn({ err: error, event: message.id }, "ack not confirmed; the event may be redelivered");
    }
  }
}

/** Acks, naks and terms are fire-and-forget publishes that throw once the connection closed. */
function settle(fn: () => void, logger: Logger): void {
  try {
    fn();
  } catch (error) {
    logger.warn({ err: error }, "could not settle JetStream message; it will be redelivered");
  }
}
