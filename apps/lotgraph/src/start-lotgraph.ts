import type { ChildProcess } from "node:child_process";
import {
  TokenService,
  createEventBus,
  createLogger,
  keepFirstAdminPassword,
  loadEnv,
  privateDataDir,
  resolveJwtSecret,
  startProcessMetrics,
  startTracing,
  StartupError,
  type LotgraphEnv,
  type Logger,
} from "@lotgraph/kit";
import { embeddedBackupRoutes } from "./backup/backup-route.ts";
import { markRunning, markStopped, runningProcessOf } from "./backup/running-marker.ts";
import { startGateway } from "./gateway.ts";
import type { RunningLotgraph, StartOptions } from "./options.ts";
import { RunningParts } from "./running-parts.ts";
import { databasesOf, startSubgraphs } from "./subgraphs.ts";
import { startWeb } from "./web.ts";

/**
 * Starts the whole system in one process: every subgraph on its own HTTP server, one shared bus,
 * and the gateway. Embedded mode by default (PGlite + in-process bus); with DATABASE_URL and
 * NATS_URL the same code runs against PostgreSQL and JetStream.
 */
export async function startLotgraph(options: StartOptions = {}): Promise<RunningLotgraph> {
  const source: Record<string, string | undefined> = {
    ...(options.env ?? process.env),
    ...(options.dataDir ? { LOTGRAPH_DATA_DIR: options.dataDir } : {}),
  };
  const env = loadEnv(source);
  // Embedded databases, the JWT secret and a generated admin password live here: owner only.
  if (env.mode === "embedded") {
    await privateDataDir(env.LOTGRAPH_DATA_DIR);
    await refuseSecondProcess(env.LOTGRAPH_DATA_DIR);
  }
  const logger = createLogger(options.quiet ? "warn" : env.LOG_LEVEL, "lotgraph");
  const jwtSecret = await resolveJwtSecret(env);
  const tokens = new TokenService(jwtSecret);
  const { bus, tracing, parts } = await startSharedParts(env, logger);

  try {
    // One metrics server and registry for every part of this process (LOTGRAPH_METRICS_PORT).
    const metrics = await startProcessMetrics(env, logger);
    parts.metrics = metrics;
    const subgraphs = await startSubgraphs({ env, logger, bus, tokens, metrics }, options, parts);
    // The first admin's password hash (bcrypt, in a worker thread) runs while the main thread
    // builds the gateway's query planner. Both finish, failed or not, before the caller may close
    // what started; both are done before this returns.
    const adminCreated = subgraphs.identity.identity.ensureFirstAdmin(env.LOTGRAPH_ADMIN_PASSWORD);
    const schemaPrefix = options.schemaPrefix ?? "lotgraph";
    const routes = embeddedBackupRoutes(env, { schemaPrefix, tokens }, logger);
    const gatewayStarted = startGateway(
      { env, logger, bus, jwtSecret, tokens, subgraphUrls: subgraphs.urls, metrics, routes },
      options,
      parts,
    );
    await Promise.allSettled([adminCreated, gatewayStarted]);
    const admin = await adminCreated;
    const { gateway, url: gatewayUrl } = await gatewayStarted;
    await markRunning(env, { gatewayUrl, schemaPrefix });
    let web: ChildProcess | null = null;
    let webUrl: string | null = null;
    if (options.web) {
      const port = options.webPort ?? Number(source.WEB_PORT ?? 3000);
      ({ web, webUrl } = await startWeb(gatewayUrl, port, source.WEB_HOST || "0.0.0.0", logger));
    }
    return {
      gatewayUrl,
      webUrl,
      admin: await firstAdmin(env, admin),
      subgraphUrls: subgraphs.urls,
      databases: databasesOf(parts.apps),
      env,
      bus,
      liveStats: () => gateway.liveStats(),
      metricsUrl: metrics?.url ?? null,
      tracing,
      async stop() {
        await markStopped(env);
        web?.kill("SIGTERM");
        await gateway.close();
        await parts.close();
      },
    };
  } catch (error) {
    await parts.close();
    throw error;
  }
}

/**
 * Refuses to open an embedded data directory another Lotgraph process runs on: PGlite takes no
 * lock, and two engines on one directory corrupt it (decision 0015). The running process says so
 * in the directory once it is ready (running-marker.ts); one that was killed says nothing.
 */
async function refuseSecondProcess(dataDir: string): Promise<void> {
  const running = await runningProcessOf(dataDir);
  if (running && running.pid !== process.pid) {
    throw new StartupError(
      "LOTGRAPH_DATA_DIR",
      `Lotgraph already runs on ${dataDir} (pid ${running.pid}, ${running.gatewayUrl}): stop it first, or give this one another LOTGRAPH_DATA_DIR`,
    );
  }
}

/**
 * What every part of this process shares: tracing first, since the bus and the databases make
 * spans (one provider for the process), then the bus.
 */
async function startSharedParts(env: LotgraphEnv, logger: Logger) {
  const tracing = await startTracing("lotgraph");
  const bus = await createEventBus({
    natsUrl: env.NATS_URL,
    logger,
    name: "lotgraph-all-in-one",
    namespace: env.LOTGRAPH_BUS_NAMESPACE,
    startupTimeoutSeconds: env.LOTGRAPH_STARTUP_TIMEOUT_SECONDS,
  }).catch(async (error: unknown) => {
    await tracing.shutdown();
    throw error;
  });
  return { bus, tracing, parts: new RunningParts(bus, tracing) };
}

/** The first admin as the caller sees it; a password generated now is also kept in an owner-only file. */
async function firstAdmin(
  env: LotgraphEnv,
  created: { generatedPassword: string | null } | null,
): Promise<RunningLotgraph["admin"]> {
  const generated = created?.generatedPassword ?? null;
  return {
    email: "admin@lotgraph.local",
    password: generated ?? env.LOTGRAPH_ADMIN_PASSWORD ?? null,
    passwordFile: generated ? await keepFirstAdminPassword(env.LOTGRAPH_DATA_DIR, generated) : null,
  };
}
