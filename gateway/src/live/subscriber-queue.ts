/**
 * One subscriber as the live hub sees it: it takes updates in order until it ends, and is the
 * async iterator the transport holds for the subscription.
 */
export interface LiveSubscriber<T> extends AsyncIterableIterator<T> {
  readonly ended: boolean;
  /** Hands over one update; false when the subscriber has ended (now or before). */
  push(item: T): boolean;
  /** Ends the subscription; the transport completes it once what was handed over is out. */
  end(): void;
}

/**
 * What one subscriber has not read yet: an async iterator fed by the live hub. The transport
 * (graphql-ws, SSE) pulls the next item only once it has written the previous one to the socket,
 * so a client that cannot keep up makes its queue grow. Past `capacity` the queue ends with
 * `overflow` as its last item instead of growing without bound or dropping events silently; the
 * client learns it missed updates and re-queries.
 */
export class SubscriberQueue<T> implements LiveSubscriber<T> {
  readonly #items: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | null = null;
  #ended = false;

  constructor(
    private readonly capacity: number,
    private readonly overflow: () => T,
    /** Called once when the queue ends, whoever ends it. */
    private readonly onEnd: () => void,
  ) {}

  get ended(): boolean {
    return this.#ended;
  }

  /** Adds an item; returns false when the queue has ended (now or before). */
  push(item: T): boolean {
    if (this.#ended) return false;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.#items.length >= this.capacity) {
      this.#items.push(this.overflow());
      this.#finish();
      return false;
    }
    this.#items.push(item);
    return true;
  }

  /** Ends the queue after what it holds has been read. */
  end(): void {
    if (this.#ended) return;
    this.#finish();
    if (this.#waiting && this.#items.length === 0) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.#items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  /** The consumer left (client sent `complete`, socket closed): drop what is left. */
  return(): Promise<IteratorResult<T>> {
    this.#items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): void {
    this.#ended = true;
    this.onEnd();
  }
}
