import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { openPGliteCluster } from "./pglite-cluster.ts";
import { StrictPrismaPGlite } from "./strict-pglite-adapter.ts";
import { migrate, readMigrations, type MigrationReport } from "./migrate.ts";
import { createSchemaPool, pgDriver, quoteIdent } from "./pg-driver.ts";
import { pgliteDriver } from "./pglite-driver.ts";
import { openSchemaPGlite, type PGliteConnection } from "./shared-pglite.ts";
import type { SqlDriver, SqlExecutor } from "./sql.ts";
import type { Logger } from "../logger.ts";
import { trackingOutboxWrites } from "../outbox/outbox.ts";
import type { WatchedPool } from "../metrics/runtime-gauges.ts";
import { connectWithRetry, redactUrl } from "../startup.ts";
import { tracingEnabled } from "../tracing/spans.ts";
import { tracedAdapterFactory, tracedSqlDriver } from "../tracing/traced-sql.ts";

/** The Prisma client surface the kit relies on; every generated PrismaClient satisfies it. */
export interface PrismaLike<Tx> {
  $transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T>;
  $disconnect(): Promise<void>;
}

/** Where a subgraph's relational data lives. */
export type DatabaseTarget =
  /**
   * Embedded. With `schema`, one schema of the engine shared by every subgraph of the process
   * (decision 0015); without, an engine of its own on `dataDir` (a data directory from before
   * 0015, and tests). `dataDir` null: in memory.
   */
  { kind: "pglite"; dataDir: string | null; schema?: string } | { kind: "postgres"; url: string; schema: string };

export interface OpenDatabaseOptions<Client> {
  target: DatabaseTarget;
  /** The subgraph's `prisma/migrations` directory. */
  migrationsDir: string;
  /** Builds the subgraph's generated PrismaClient over the driver adapter. */
  createClient: (adapter: SqlDriverAdapterFactory) => Client;
  poolSize?: number;
  /** Where a lost connection is reported; it does not end the process. */
  logger?: Logger;
  /** PostgreSQL only: how long to wait for the server at start (see connectWithRetry). Default 60 s. */
  startupTimeoutSeconds?: number;
}

const KIT_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations");

/**
 * The Database port: one subgraph's relational store, migrated and ready, with its Prisma client
 * and a raw driver. The same code runs on PGlite (embedded) and PostgreSQL (services); the
 * conformance suite in `tests/conformance/database.test.ts` holds both to the same behaviour.
 */
export class Database<Client extends PrismaLike<Tx>, Tx extends SqlExecutor> {
  readonly #committedListeners = new Set<() => void>();

  private constructor(
    readonly client: Client,
    readonly driver: SqlDriver,
    readonly target: DatabaseTarget,
    readonly migrations: MigrationReport,
    /** Its connection pools, for metrics. */
    readonly pools: readonly WatchedPool[] = [],
  ) {}

  /** Opens the store, applies the kit's and the subgraph's migrations, builds the client. */
  static async open<Client extends PrismaLike<Tx>, Tx extends SqlExecutor>(
    options: OpenDatabaseOptions<Client>,
  ): Promise<Database<Client, Tx>> {
    const { target } = options;
    let driver: SqlDriver;
    let adapter: SqlDriverAdapterFactory;
    let pools: WatchedPool[] = [{ name: "pglite", embedded: true }];
    if (target.kind === "pglite") {
      const pglite = await openPGlite(target);
      driver = pgliteDriver(pglite);
      adapter = new StrictPrismaPGlite(pglite, { schema: target.schema });
    } else {
      const logger = options.logger;
      const lost = (error: Error) =>
        logger?.warn({ err: error }, "a PostgreSQL connection was lost; it will be replaced");
      await connectWithRetry(
        { variable: "DATABASE_URL", kind: "PostgreSQL", target: redactUrl(target.url) },
        () => createSchemaOnce(target.url, target.schema),
        { timeoutSeconds: options.startupTimeoutSeconds ?? 60, logger: logger ?? silentLogger },
      );
      const raw = createSchemaPool(target.url, target.schema, 4, lost);
      driver = pgDriver(raw);
      // Our own pool, so its use can be reported (metrics); the adapter closes it with itself.
      // `schema` qualifies Prisma's own queries; search_path makes raw SQL (outbox, audit) agree.
      // (Its lost connections are logged once, by the adapter's onPoolError.)
      const prisma = createSchemaPool(target.url, target.schema, options.poolSize ?? 10);
      adapter = new PrismaPg(prisma, {
        schema: target.schema,
        onPoolError: lost,
        onConnectionError: lost,
        disposeExternalPool: true,
      });
      pools = [
        { name: "prisma", pool: prisma },
        { name: "raw", pool: raw },
      ];
    }
    if (tracingEnabled()) {
      // Every statement a span, when part of a traced operation (tracing/traced-sql.ts).
      const engine = target.kind === "pglite" ? "pglite" : "pg";
      driver = tracedSqlDriver(driver, engine);
      adapter = tracedAdapterFactory(adapter, engine);
    }
    try {
      const report = await migrate(driver, [
        ...(await readMigrations(KIT_MIGRATIONS, "kit/")),
        ...(await readMigrations(options.migrationsDir)),
      ]);
      return new Database(options.createClient(adapter), driver, target, report, pools);
    } catch (error) {
      await driver.close();
      throw error;
    }
  }

  /**
   * Runs `fn` in one transaction. Business writes, their outbox events and their audit entries
   * all go through `tx`, so they commit or roll back together.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const { result, wroteOutbox } = await trackingOutboxWrites(() =>
      this.client.$transaction(fn, { maxWait: 10_000, timeout: 30_000 }),
    );
    if (wroteOutbox) for (const listener of this.#committedListeners) listener();
    return result;
  }

  /**
   * Called after every committed `transaction` that wrote an outbox event (the outbox relay uses
   * it to publish at once; what was committed otherwise, it finds by polling).
   */
  onCommitted(listener: () => void): () => void {
    this.#committedListeners.add(listener);
    return () => this.#committedListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.client.$disconnect();
    await this.driver.close();
  }
}

async function openPGlite(target: Extract<DatabaseTarget, { kind: "pglite" }>): Promise<PGliteConnection> {
  if (target.schema) return openSchemaPGlite(target.dataDir, target.schema);
  return (await openPGliteCluster(target.dataDir ?? undefined)).engine;
}

/** For callers that pass no logger (scripts, tests): retries are quiet. */
const silentLogger = { warn: () => undefined } as unknown as Logger;

/**
 * `CREATE SCHEMA IF NOT EXISTS` is not safe against itself: two replicas starting together on a
 * fresh database can both pass the check and one fails on the catalogue's unique index. The
 * advisory lock makes them take turns.
 */
async function createSchemaOnce(url: string, schema: string): Promise<void> {
  const bootstrap = createSchemaPool(url, "public", 1);
  const client = await bootstrap.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('lotgraph:create-schema'))");
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
    await bootstrap.end();
  }
}
