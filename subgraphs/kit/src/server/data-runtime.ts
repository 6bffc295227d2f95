import { Database, type PrismaLike } from "../db/database.ts";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlExecutor } from "../db/sql.ts";
import { IN_PROCESS_REPLAY_WINDOW_MS, OutboxRelay } from "../outbox/relay.ts";
import { watchOutbox, watchPools } from "../metrics/runtime-gauges.ts";
import type { ReadinessCheck } from "./serve.ts";
import type { SubgraphDeps } from "./subgraph-app.ts";

export interface DataRuntime<Client extends PrismaLike<Tx>, Tx extends SqlExecutor> {
  db: Database<Client, Tx>;
  relay: OutboxRelay;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/**
 * The relational half of every subgraph: its migrated database and the outbox relay that
 * publishes what its transactions commit (kicked after each commit that wrote an event, polled otherwise).
 */
export async function startDataRuntime<Client extends PrismaLike<Tx>, Tx extends SqlExecutor>(
  deps: SubgraphDeps,
  options: { migrationsDir: string; createClient: (adapter: SqlDriverAdapterFactory) => Client },
): Promise<DataRuntime<Client, Tx>> {
  const db = await Database.open<Client, Tx>({
    target: deps.database,
    logger: deps.logger,
    startupTimeoutSeconds: deps.env.LOTGRAPH_STARTUP_TIMEOUT_SECONDS,
    ...options,
  });
  const relay = new OutboxRelay({ driver: db.driver, bus: deps.bus, logger: deps.logger });
  db.onCommitted(() => relay.kick());
  if (deps.bus.kind === "in-process") {
    const replayed = await relay.replayUnacknowledged(IN_PROCESS_REPLAY_WINDOW_MS);
    if (replayed > 0)
      deps.logger.info({ replayed }, "republishing events consumers had not acknowledged before the restart");
  }
  relay.start();
  const unwatch = deps.metrics
    ? [
        watchOutbox(deps.metrics.metrics, deps.metrics.service, db.driver),
        watchPools(deps.metrics.metrics, deps.metrics.service, db.pools),
      ]
    : [];
  return {
    db,
    relay,
    readiness: {
      database: async () => {
        await db.driver.query("SELECT 1");
        return true;
      },
      // The bus: while it is away, events wait in the outbox and nothing is lost, but the live
      // floor and the projections fall behind: not ready.
      bus: async () => deps.bus.connected?.() ?? true,
    },
    async close() {
      for (const stop of unwatch) stop();
      await relay.stop();
      await db.close();
    },
  };
}
