import { resolve } from "node:path";
import type { QueryOptions, Results, Transaction } from "@electric-sql/pglite";
import type { BatchedPGlite } from "./batched-pglite.ts";
import { openPGliteCluster } from "./pglite-cluster.ts";
import { quoteIdent } from "./sql.ts";

/**
 * What the kit's PGlite driver and Prisma adapter use of a PGlite instance. Both a whole
 * {@link BatchedPGlite} and one schema of a shared engine ({@link SchemaPGlite}) provide it.
 */
export interface PGliteConnection {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<unknown>;
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed: boolean;
}

interface OpenEngine {
  engine: Promise<BatchedPGlite>;
  users: number;
}

/**
 * Engines open in this process, by absolute data directory. Every subgraph of the all-in-one
 * process opens the same directory and so gets the same engine: one WebAssembly PostgreSQL, one
 * `initdb`, one buffer pool, instead of five (decision 0015). Two engines on one directory would
 * also corrupt it, so sharing by path is the only safe answer anyway.
 */
const engines = new Map<string, OpenEngine>();

/**
 * One schema of the embedded engine on `dataDir`, created if missing: every statement it runs
 * sees `schema` first on its `search_path`, exactly as a services-mode connection does. `null`
 * keeps the engine in memory and unshared (tests).
 */
export async function openSchemaPGlite(dataDir: string | null, schema: string): Promise<SchemaPGlite> {
  const key = dataDir === null ? null : resolve(dataDir);
  const open = key === null ? { engine: startEngine(null), users: 0 } : (engines.get(key) ?? remember(key));
  open.users++;
  const release = async () => {
    if (--open.users > 0) return;
    if (key !== null) engines.delete(key);
    const engine = await open.engine;
    if (!engine.closed) await engine.close();
  };
  try {
    const engine = await open.engine;
    await engine.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    return new SchemaPGlite(engine, schema, release);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
}

function remember(key: string): OpenEngine {
  const open = { engine: startEngine(key), users: 0 };
  engines.set(key, open);
  // A failed start must not be handed to the next opener of the directory.
  open.engine.catch(() => engines.get(key) === open && engines.delete(key));
  return open;
}

async function startEngine(dataDir: string | null): Promise<BatchedPGlite> {
  return (await openPGliteCluster(dataDir ?? undefined)).engine;
}

/** One subgraph's view of the shared engine: its statements run in its schema; closing releases it. */
export class SchemaPGlite implements PGliteConnection {
  #closed = false;

  constructor(
    private readonly engine: BatchedPGlite,
    readonly schema: string,
    private readonly release: () => Promise<void>,
  ) {}

  get closed(): boolean {
    return this.#closed || this.engine.closed;
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    this.#refuseWhenClosed();
    return this.engine.queryInSchema<T>(this.schema, sql, params, options);
  }

  async exec(sql: string): Promise<void> {
    this.#refuseWhenClosed();
    return this.engine.execInSchema(this.schema, sql);
  }

  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    this.#refuseWhenClosed();
    return this.engine.transactionInSchema(this.schema, callback);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.release();
  }

  /** The engine may live on for the other schemas; this view of it is closed like an engine of its own. */
  #refuseWhenClosed(): void {
    if (this.#closed) throw new Error(`the embedded database of schema ${this.schema} is closed`);
  }
}
