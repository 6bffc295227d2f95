import type { IncomingMessage, ServerResponse } from "node:http";
import { createGateway, edgeSettings, type Gateway } from "@lotgraph/gateway";
import {
  serve,
  type EventBus,
  type Logger,
  type LotgraphEnv,
  type ProcessMetrics,
  type SubgraphName,
  type TokenService,
} from "@lotgraph/kit";
import { inProcessSubgraphs } from "./in-process.ts";
import type { StartOptions } from "./options.ts";
import type { RunningParts } from "./running-parts.ts";

export interface GatewayWiring {
  env: LotgraphEnv;
  logger: Logger;
  bus: EventBus;
  jwtSecret: string;
  /** The subgraphs' token service, whose credential list identity keeps current in this process. */
  tokens: TokenService;
  subgraphUrls: Record<SubgraphName, string>;
  metrics: ProcessMetrics | null;
  /** Routes of the all-in-one process beside the gateway's own (the embedded backup). */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

/**
 * Creates the gateway over this process's subgraphs and serves it (HTTP and live sockets on the
 * same port). Its server is recorded in `parts`; the gateway itself is the caller's to close.
 */
export async function startGateway(
  wiring: GatewayWiring,
  options: StartOptions,
  parts: RunningParts,
): Promise<{ gateway: Gateway; url: string }> {
  const { env, logger } = wiring;
  const gateway = await createGateway({
    subgraphUrls: wiring.subgraphUrls,
    // Every subgraph runs in this process: the gateway calls their handlers without a socket.
    ...(options.subgraphTransport !== "http" && { inProcessSubgraphs: inProcessSubgraphs(parts.apps) }),
    jwtSecret: wiring.jwtSecret,
    tokens: wiring.tokens,
    edge: edgeSettings(env),
    rateLimits: {
      perPrincipalPerMinute: env.LOTGRAPH_RATE_LIMIT_PER_MINUTE,
      perAddressPerMinute: env.LOTGRAPH_RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    logger: logger.child({ service: "gateway" }),
    bus: wiring.metrics?.measuredBus(wiring.bus, "gateway") ?? wiring.bus,
    ...(wiring.metrics && { metrics: wiring.metrics.metrics }),
    ...(env.LOTGRAPH_REPLICA_ID ? { replicaId: env.LOTGRAPH_REPLICA_ID } : {}),
  });
  const server = await serve({
    name: "gateway",
    port: options.gatewayPort ?? env.PORT ?? 4000,
    logger,
    handler: gateway.yoga,
    readiness: gateway.readiness,
    routes: { ...gateway.exportRoutes, ...wiring.routes },
    metrics: wiring.metrics?.metrics,
  });
  parts.servers.push(server);
  gateway.attachLiveSockets(server.server);
  return { gateway, url: `http://localhost:${server.port}/graphql` };
}
