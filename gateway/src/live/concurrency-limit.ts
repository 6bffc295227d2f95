/**
 * At most `max` tasks run at once; the others wait in arrival order. The live layer uses it so a
 * burst of events (a hold propagated to hundreds of lots) cannot flood the subgraphs with
 * federated queries.
 */
export class ConcurrencyLimit {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`concurrency limit must be a positive integer, got ${max}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (the count stays), or free it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
