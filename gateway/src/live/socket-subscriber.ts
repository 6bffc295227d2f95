import type { ExecutionResult } from "graphql";
import type { LiveSubscriber } from "./subscriber-queue.ts";
import { textFrame, type FrameSocket } from "./ws-frames.ts";

/** Where a graphql-ws subscription's updates go: the socket, and the id the client gave it. */
export interface SocketTarget {
  socket: FrameSocket;
  id: string;
}

const OPEN = 1;

/**
 * A result's `payload` as UTF-8 JSON, made once however many sockets it goes to. The hub hands
 * the same result object to every subscriber of a group, so a group of 1,000 pays for one
 * `JSON.stringify` and one encoding, not 1,000. Shaped as graphql-ws shapes it: the data, then
 * the errors if any.
 */
const payloads = new WeakMap<ExecutionResult, Buffer>();
function payloadBytes(result: ExecutionResult): Buffer {
  let bytes = payloads.get(result);
  if (bytes === undefined) {
    const { errors, ...rest } = result;
    bytes = Buffer.from(JSON.stringify(errors ? { ...rest, errors: errors.map((error) => error.toJSON()) } : rest));
    payloads.set(result, bytes);
  }
  return bytes;
}
const MESSAGE_END = Buffer.from("}");

/**
 * A graphql-ws subscriber the live hub writes to directly: each update becomes the protocol's
 * `next` message for this subscription (`{"id":…,"type":"next","payload":…}`, as graphql-ws
 * writes it), framed and written to the socket at once, in the hub's delivery order.
 *
 * graphql-ws would otherwise pull every update through an async iterator, re-serialize it per
 * subscriber and wait for each write's callback: at 1,000 subscribers that cost more than the
 * writes themselves. graphql-ws still owns the protocol: it gets this object as the
 * subscription's iterator, which yields nothing and finishes when the subscription ends, so
 * graphql-ws sends `complete`; its `return()` (the client's `complete`, a closed socket) takes the
 * subscriber out of the hub.
 *
 * A client that cannot keep up shows as bytes piling up in its socket. Past `maxBufferedBytes`
 * it gets the overflow result (SUBSCRIBER_TOO_SLOW) and the subscription ends, as a queue's
 * subscriber does past its capacity.
 */
export class SocketSubscriber implements LiveSubscriber<ExecutionResult> {
  /** `{"id":<id>,"type":"next","payload":`, encoded once per subscription. */
  readonly #prefix: Buffer;
  #ended = false;
  #finished: ((result: IteratorResult<ExecutionResult>) => void) | null = null;

  constructor(
    private readonly target: SocketTarget,
    private readonly maxBufferedBytes: number,
    private readonly overflow: () => ExecutionResult,
    /** Called once when the subscriber ends, whoever ends it. */
    private readonly onEnd: () => void,
  ) {
    this.#prefix = Buffer.from(`{"id":${JSON.stringify(target.id)},"type":"next","payload":`);
  }

  get ended(): boolean {
    return this.#ended;
  }

  push(result: ExecutionResult): boolean {
    if (this.#ended) return false;
    const { socket } = this.target;
    if (socket.readyState !== OPEN) {
      this.end();
      return false;
    }
    if (socket.bufferedAmount > this.maxBufferedBytes) {
      this.#write(this.overflow());
      this.end();
      return false;
    }
    this.#write(result);
    return true;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onEnd();
    this.#finished?.({ value: undefined, done: true });
    this.#finished = null;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#finished = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #write(result: ExecutionResult): void {
    this.target.socket.writeFrame(textFrame([this.#prefix, payloadBytes(result), MESSAGE_END]));
  }
}
