import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PGliteConnection } from "./shared-pglite.ts";

/** The parts of pglite-prisma-adapter's adapter (0.7.2) that the fix below reaches into. */
interface PGliteAdapterInternals {
  startTransactionInner(conn: Pick<PGlite, "transaction">, options: unknown): Promise<Transaction>;
}

/**
 * pglite-prisma-adapter, except that a failed COMMIT fails the Prisma transaction.
 *
 * The adapter (0.7.2, the newest) runs each Prisma transaction inside PGlite's `transaction()`
 * and attaches a `.catch` to its outcome that only rejects the transaction's *start*. When the
 * COMMIT itself fails (a deferred constraint trigger, say), `commit()` resolves anyway: Prisma
 * reports success for writes that were rolled back. A consumer would then acknowledge an event
 * it never recorded, and the event would be lost. Here `commit()` also awaits PGlite's own outcome,
 * which rejects with the COMMIT's error. `strict-pglite-adapter.test.ts` shows both behaviours.
 */
export class StrictPrismaPGlite implements SqlDriverAdapterFactory {
  readonly #inner: PrismaPGlite;
  readonly provider: SqlDriverAdapterFactory["provider"];
  readonly adapterName: string;

  /** `schema`: the one the Prisma client qualifies its tables with (as PrismaPg's option does). */
  constructor(
    pglite: PGliteConnection,
    private readonly options: { schema?: string } = {},
  ) {
    // The adapter calls only query, exec and transaction, which a PGliteConnection provides.
    this.#inner = new PrismaPGlite(pglite as PGlite);
    this.provider = this.#inner.provider;
    this.adapterName = this.#inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.#inner.connect();
    // The adapter's factory passes no options to its adapter: its connection info reports none.
    if (this.options.schema) Object.assign(adapter, { options: { schema: this.options.schema } });
    const internals = adapter as unknown as PGliteAdapterInternals;
    const start = internals.startTransactionInner.bind(adapter);
    internals.startTransactionInner = async (conn, options) => {
      let outcome: Promise<unknown> | undefined;
      const watched = {
        transaction: ((callback: Parameters<PGlite["transaction"]>[0]) => {
          outcome = conn.transaction(callback);
          // Observed below; this handler only keeps an early failure from going unhandled.
          outcome.catch(() => undefined);
          return outcome;
        }) as PGlite["transaction"],
      };
      const transaction = await start(watched, options);
      const commit = transaction.commit.bind(transaction);
      transaction.commit = async () => {
        await commit();
        await outcome; // rejects when PGlite's COMMIT failed
      };
      return transaction;
    };
    return adapter;
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.#inner.connectToShadowDb();
  }
}
