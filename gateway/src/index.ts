import {
  createEventBus,
  createLogger,
  exitOnStartupFailure,
  loadEnv,
  peerUrlsFromEnv,
  resolveJwtSecret,
  serve,
  startProcessMetrics,
  startTracing,
} from "@lotgraph/kit";
import { createGateway, edgeSettings } from "./server.ts";

/** The gateway as its own process (services mode): subgraph URLs from *_URL variables. */
async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL, "gateway");
  const tracing = await startTracing("lotgraph-gateway");
  const subgraphUrls = peerUrlsFromEnv();
  const bus = await createEventBus({
    natsUrl: env.NATS_URL,
    logger,
    name: "gateway",
    namespace: env.LOTGRAPH_BUS_NAMESPACE,
    startupTimeoutSeconds: env.LOTGRAPH_STARTUP_TIMEOUT_SECONDS,
  });
  // Its own metrics server, apart from the API's port, when LOTGRAPH_METRICS_PORT is set.
  const metrics = await startProcessMetrics(env, logger);
  const gateway = await createGateway({
    subgraphUrls,
    jwtSecret: await resolveJwtSecret(env),
    logger,
    bus: metrics?.measuredBus(bus, "gateway") ?? bus,
    ...(metrics && { metrics: metrics.metrics }),
    credentialRefreshMs: env.LOTGRAPH_CREDENTIAL_REFRESH_SECONDS * 1000,
    edge: edgeSettings(env),
    rateLimits: {
      perPrincipalPerMinute: env.LOTGRAPH_RATE_LIMIT_PER_MINUTE,
      perAddressPerMinute: env.LOTGRAPH_RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    ...(env.LOTGRAPH_REPLICA_ID ? { replicaId: env.LOTGRAPH_REPLICA_ID } : {}),
  });
  const server = await serve({
    name: "gateway",
    port: env.PORT ?? 4000,
    logger,
    handler: gateway.yoga,
    readiness: gateway.readiness,
    routes: gateway.exportRoutes,
    metrics: metrics?.metrics,
  });
  gateway.attachLiveSockets(server.server);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    // Sockets first (1001 Going Away: clients reconnect to another replica), then HTTP.
    await gateway.closeLive();
    await server.close();
    await gateway.close();
    await metrics?.close();
    await bus.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

await main().catch(exitOnStartupFailure);
