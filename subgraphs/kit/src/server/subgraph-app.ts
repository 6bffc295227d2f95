import type { IncomingMessage, ServerResponse } from "node:http";
import { createEventBus } from "../bus/create-bus.ts";
import type { EventBus } from "../bus/types.ts";
import type { DatabaseTarget } from "../db/database.ts";
import type { SqlDriver } from "../db/sql.ts";
import { databaseTarget } from "../db/target.ts";
import { loadEnv, resolveJwtSecret, type LotgraphEnv } from "../env.ts";
import { createLogger, type Logger } from "../logger.ts";
import { exitOnStartupFailure } from "../startup.ts";
import { useIdentityCredentials } from "../auth/identity-credentials.ts";
import { TokenService } from "../auth/tokens.ts";
import { startProcessMetrics } from "../metrics/process-metrics.ts";
import type { ServiceMetrics } from "../metrics/metrics.ts";
import { serve, type ReadinessCheck, type RunningServer } from "./serve.ts";
import { startTracing } from "../tracing/start-tracing.ts";

/** Everything a subgraph needs from its host process; the same in both modes. */
export interface SubgraphDeps {
  env: LotgraphEnv;
  logger: Logger;
  bus: EventBus;
  tokens: TokenService;
  /** Where its relational data lives (from the env unless a test overrides it). */
  database: DatabaseTarget;
  /** The /graphql URL of another subgraph, for internal service-to-service calls. */
  peerUrl: (name: SubgraphName) => string;
  /** Where it reports its metrics; absent when the process serves none (LOTGRAPH_METRICS_PORT unset). */
  metrics?: ServiceMetrics;
}

/** Node's request listener that can also answer a Fetch `Request` in process (yoga is both). */
export type HttpHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  fetch(request: Request): Promise<Response> | Response;
};

/** A built subgraph: an HTTP handler plus what runs beside it (outbox relay, consumers). */
export interface SubgraphApp {
  name: string;
  handler: HttpHandler;
  readiness: Record<string, ReadinessCheck>;
  /** Raw access to its own database (operations tools, audit verification, tests). */
  sql: SqlDriver;
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
}

export type SubgraphFactory = (deps: SubgraphDeps) => Promise<SubgraphApp>;

/** Default ports of the subgraphs (the gateway is 4000). */
export const SUBGRAPH_PORTS = {
  identity: 4001,
  inventory: 4002,
  production: 4003,
  quality: 4004,
  traceability: 4005,
} as const;
export type SubgraphName = keyof typeof SUBGRAPH_PORTS;

/**
 * `main()` of a subgraph running as its own process (services mode): validated env, logger,
 * bus, database, listen, and a graceful shutdown on SIGTERM/SIGINT.
 */
export async function runSubgraphProcess(name: SubgraphName, factory: SubgraphFactory): Promise<void> {
  await startSubgraphProcess(name, factory).catch(exitOnStartupFailure);
}

async function startSubgraphProcess(name: SubgraphName, factory: SubgraphFactory): Promise<void> {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL, name);
  const tracing = await startTracing(`lotgraph-${name}`);
  const bus = await createEventBus({
    natsUrl: env.NATS_URL,
    logger,
    name,
    namespace: env.LOTGRAPH_BUS_NAMESPACE,
    startupTimeoutSeconds: env.LOTGRAPH_STARTUP_TIMEOUT_SECONDS,
  });
  // Its own metrics server, apart from the API's port, when LOTGRAPH_METRICS_PORT is set.
  const metrics = await startProcessMetrics(env, logger);
  const tokens = new TokenService(await resolveJwtSecret(env));
  const peers = peerUrlsFromEnv();
  // Identity keeps its own list from its database; every other subgraph fetches it from identity.
  const credentials =
    name === "identity"
      ? null
      : useIdentityCredentials(tokens, {
          caller: name,
          identityUrl: () => peers.identity,
          refreshMs: env.LOTGRAPH_CREDENTIAL_REFRESH_SECONDS * 1000,
          logger,
        });
  const app = await factory({
    env,
    logger,
    bus: metrics?.measuredBus(bus, name) ?? bus,
    ...(metrics && { metrics: { metrics: metrics.metrics, service: name } }),
    tokens,
    // Alone in its process: in embedded mode a directory of its own, never the shared engine's.
    database: databaseTarget(env, name, undefined, "own-directory"),
    peerUrl: (peer) => peers[peer],
  });
  const server: RunningServer = await serve({
    name,
    port: env.PORT ?? SUBGRAPH_PORTS[name],
    portVariable: "PORT",
    host: env.LOTGRAPH_LISTEN_HOST,
    logger,
    handler: app.handler,
    // Not ready to answer anyone until it knows whose tokens still count.
    readiness: { ...app.readiness, ...(credentials && { credentials: async () => credentials.loaded }) },
    routes: app.routes,
    metrics: metrics?.metrics,
  });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    await server.close();
    credentials?.stop();
    await app.close();
    await metrics?.close();
    await bus.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/** Subgraph URLs from `<NAME>_URL` variables, defaulting to localhost and the standard ports. */
export function peerUrlsFromEnv(
  source: Record<string, string | undefined> = process.env,
): Record<SubgraphName, string> {
  const names = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];
  return Object.fromEntries(
    names.map((name) => [
      name,
      source[`${name.toUpperCase()}_URL`] ?? `http://localhost:${SUBGRAPH_PORTS[name]}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;
}
