import { createIdentitySubgraph, type IdentitySubgraph } from "@lotgraph/identity";
import { createInventorySubgraph } from "@lotgraph/inventory";
import {
  databaseTarget,
  serve,
  type EventBus,
  type LotgraphEnv,
  type Logger,
  type ProcessMetrics,
  type SqlDriver,
  type SubgraphApp,
  type SubgraphDeps,
  type SubgraphFactory,
  type SubgraphName,
  type TokenService,
} from "@lotgraph/kit";
import { createProductionSubgraph } from "@lotgraph/production";
import { createQualitySubgraph } from "@lotgraph/quality";
import { createTraceabilitySubgraph } from "@lotgraph/traceability";
import type { StartOptions } from "./options.ts";
import type { RunningParts } from "./running-parts.ts";
import { subgraphPort } from "./subgraph-ports.ts";

/** In start order: identity first, as the others verify tokens and it makes the first admin. */
const FACTORIES: Record<SubgraphName, SubgraphFactory> = {
  identity: createIdentitySubgraph,
  inventory: createInventorySubgraph,
  production: createProductionSubgraph,
  quality: createQualitySubgraph,
  traceability: createTraceabilitySubgraph,
};

/** What every subgraph of this process shares. */
export interface SharedDeps {
  env: LotgraphEnv;
  logger: Logger;
  bus: EventBus;
  tokens: TokenService;
  /** This process's metrics (LOTGRAPH_METRICS_PORT), null when it serves none. */
  metrics: ProcessMetrics | null;
}

export interface StartedSubgraphs {
  urls: Record<SubgraphName, string>;
  identity: IdentitySubgraph;
}

/**
 * Builds every subgraph and serves each on its own HTTP server on loopback, as separate processes
 * would be. Each one started is recorded in `parts`, so the caller can close them on a failure.
 */
export async function startSubgraphs(
  shared: SharedDeps,
  options: StartOptions,
  parts: RunningParts,
): Promise<StartedSubgraphs> {
  const urls = {} as Record<SubgraphName, string>;
  let identity: IdentitySubgraph | null = null;
  for (const name of Object.keys(FACTORIES) as SubgraphName[]) {
    const deps = subgraphDeps(name, shared, options, urls);
    const app = name === "identity" ? (identity = await createIdentitySubgraph(deps)) : await FACTORIES[name](deps);
    parts.apps.push(app);
    const server = await serve({
      name,
      port: subgraphPort(options.subgraphPorts ?? shared.env.LOTGRAPH_SUBGRAPH_PORTS, name),
      portVariable: "LOTGRAPH_SUBGRAPH_PORTS",
      host: "127.0.0.1",
      logger: deps.logger,
      handler: app.handler,
      readiness: app.readiness,
      routes: app.routes,
      metrics: shared.metrics?.metrics,
    });
    parts.servers.push(server);
    urls[name] = `http://127.0.0.1:${server.port}/graphql`;
  }
  return { urls, identity: identity! };
}

function subgraphDeps(
  name: SubgraphName,
  shared: SharedDeps,
  options: StartOptions,
  urls: Record<SubgraphName, string>,
): SubgraphDeps {
  return {
    env: shared.env,
    logger: shared.logger.child({ service: name }),
    bus: measured(shared.metrics, name, options.busFor?.(name, shared.bus) ?? shared.bus),
    ...(shared.metrics && { metrics: { metrics: shared.metrics.metrics, service: name } }),
    tokens: shared.tokens,
    database: databaseTarget(shared.env, name, options.schemaPrefix),
    // Resolved at call time: a peer started later has no port yet when this one is built.
    peerUrl: (peer) => {
      const url = urls[peer];
      if (!url) throw new Error(`subgraph ${peer} is not running`);
      return url;
    },
  };
}

/** The bus as one subgraph sees it, its consumers' lag measured when the process has metrics. */
function measured(metrics: ProcessMetrics | null, service: SubgraphName, bus: EventBus): EventBus {
  return metrics ? metrics.measuredBus(bus, service) : bus;
}

/** Each subgraph's own database, by name (operations tools and tests). */
export function databasesOf(apps: readonly SubgraphApp[]): Record<SubgraphName, SqlDriver> {
  return Object.fromEntries(apps.map((app) => [app.name, app.sql])) as Record<SubgraphName, SqlDriver>;
}
