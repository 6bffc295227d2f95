import { Counter } from "./counter.ts";

/** The most live streams over HTTP (server-sent events) one account, and one address, may hold open. */
export interface LiveStreamLimits {
  maxStreamsPerPrincipal: number;
  maxStreamsPerAddress: number;
}

/** As many as the socket caps allow (live-sockets.ts), counted apart from sockets. */
export const DEFAULT_LIVE_STREAM_LIMITS: LiveStreamLimits = { maxStreamsPerPrincipal: 200, maxStreamsPerAddress: 500 };

/**
 * Admits subscriptions that come over HTTP (server-sent events) the way live-sockets.ts admits
 * sockets: one account, or one address, cannot take every stream the process can serve. A
 * stream is counted from admission until its iterator ends (the client went away, the server
 * closed it, or it failed), once.
 */
export class LiveStreamAdmission {
  readonly #perPrincipal = new Counter();
  readonly #perAddress = new Counter();
  readonly #limits: LiveStreamLimits;
  #open = 0;

  constructor(limits: Partial<LiveStreamLimits> = {}) {
    this.#limits = { ...DEFAULT_LIVE_STREAM_LIMITS, ...limits };
  }

  /** Why a new stream is refused, or null when it may open. */
  refusal(principalId: string, address: string): string | null {
    if (this.#perPrincipal.count(principalId) >= this.#limits.maxStreamsPerPrincipal)
      return "too many live streams for this account; close some, then retry";
    if (this.#perAddress.count(address) >= this.#limits.maxStreamsPerAddress)
      return "too many live streams from this address; retry later";
    return null;
  }

  /** Counts `stream` until it ends. */
  admit<T>(principalId: string, address: string, stream: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    this.#perPrincipal.add(principalId);
    this.#perAddress.add(address);
    this.#open++;
    let open = true;
    const release = () => {
      if (!open) return;
      open = false;
      this.#open--;
      this.#perPrincipal.remove(principalId);
      this.#perAddress.remove(address);
    };
    const counted: AsyncIterableIterator<T> = {
      async next() {
        try {
          const result = await stream.next();
          if (result.done) release();
          return result;
        } catch (error) {
          release();
          throw error;
        }
      },
      async return(value?: unknown) {
        release();
        return (await stream.return?.(value)) ?? { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        release();
        if (stream.throw) return stream.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return counted;
      },
    };
    return counted;
  }

  /** Streams open now (stats and tests). */
  get open(): number {
    return this.#open;
  }
}
