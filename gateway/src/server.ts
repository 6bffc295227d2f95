import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_CREDENTIAL_REFRESH_MS,
  GatewayCredential,
  TokenService,
  useIdentityCredentials,
  type CredentialRegistry,
  type EventBus,
  type LotgraphMetrics,
  type Logger,
  type ReadinessCheck,
  type SubgraphName,
} from "@lotgraph/kit";
import type { YogaServerInstance } from "graphql-yoga";
import { exportRoutes } from "./export-routes.ts";
import { federatedExecution, loadFederation } from "./federation.ts";
import { createGatewayYoga } from "./gateway-yoga.ts";
import { watchLiveLayer } from "./metrics.ts";
import type { InProcessSubgraph } from "./in-process-subgraph.ts";
import type { LiveHubStats } from "./live/live-hub.ts";
import { createLiveLayer } from "./live/live-layer.ts";
import { CallerRateLimiter, DEFAULT_RATE_LIMITS, type RateLimits } from "./rate-limits.ts";
import { edgeSettings, type EdgeSettings } from "./edge.ts";
import { TrustedDocuments } from "./trusted-documents.ts";
import type { LiveSocketLimits } from "./live/live-sockets.ts";
import type { LiveStreamLimits } from "./live/stream-admission.ts";

export { EXPORT_PATHS } from "./export-routes.ts";
export { edgeSettings, type EdgeSettings } from "./edge.ts";

const SUPERGRAPH_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schema", "supergraph.graphql");

export interface GatewayOptions {
  subgraphUrls: Record<SubgraphName, string>;
  jwtSecret: string;
  logger: Logger;
  /**
   * The token service to check callers with, when this process has one whose credential list is
   * kept already (the all-in-one shares identity's). Without it the gateway builds its own and
   * fetches identity's list every `credentialRefreshMs` (docs/decisions/0019).
   */
  tokens?: TokenService;
  credentialRefreshMs?: number;
  /** Requests a minute per caller (defaults in rate-limits.ts). */
  rateLimits?: Partial<RateLimits>;
  /** CORS, introspection and the IDE (edge.ts); development defaults without it. */
  edge?: EdgeSettings;
  /** Registered operations; defaults to the committed schema/trusted-documents.json. */
  trustedDocuments?: TrustedDocuments;
  /** Defaults to the committed `schema/supergraph.graphql`. */
  supergraphSdl?: string;
  /** The bus the live layer reads; without one, subscriptions open but never receive events. */
  bus?: EventBus;
  /** This replica's name (LOTGRAPH_REPLICA_ID); its live consumer is durable under it. */
  replicaId?: string;
  liveLimits?: Partial<LiveSocketLimits>;
  /** Caps on subscriptions over HTTP (server-sent events); defaults in stream-admission.ts. */
  liveStreamLimits?: Partial<LiveStreamLimits>;
  /**
   * Subgraphs running in this process (all-in-one): the gateway's fetches run through each one's
   * own envelop, without HTTP (see InProcessDataSource). Others are fetched over HTTP.
   */
  inProcessSubgraphs?: Partial<Record<SubgraphName, InProcessSubgraph>>;
  /** Where its HTTP, operation, subgraph fetch and live figures go; absent, nothing is measured. */
  metrics?: LotgraphMetrics;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  readiness: Record<string, ReadinessCheck>;
  /** Serves graphql-ws on `server` at /graphql (same port as HTTP). */
  attachLiveSockets(server: Server): void;
  /** The plain-HTTP exports, forwarded to traceability (routes for {@link serve}). */
  exportRoutes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  liveStats(): LiveHubStats & { connections: number; streams: number };
  /**
   * Closes live sockets (1001 Going Away) and stops the live consumer. Call it before closing the
   * HTTP server: an open WebSocket would keep that server from closing.
   */
  closeLive(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The public entry point: graphql-yoga hosting @apollo/gateway (static supergraph), with JWT
 * verification, operation limits and error masking from maintained plugins. Subgraphs verify
 * the forwarded token again; the gateway rejects bad tokens early.
 *
 * Built one way: the federated execution first, the live layer over it (its hub executes
 * directly, not through yoga), then yoga, whose plugins include the live layer's.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger, subgraphUrls } = options;
  const { tokens, registry } = callerChecks(options);
  const rateLimiter = new CallerRateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits });
  const trustedDocuments = options.trustedDocuments ?? TrustedDocuments.load();
  const credential = await GatewayCredential.create(tokens);
  const federation = await loadFederation({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, "utf8"),
    subgraphUrls,
    inProcessSubgraphs: options.inProcessSubgraphs ?? {},
    credential,
    logger,
    ...(options.metrics && { metrics: options.metrics }),
  });
  const federated = federatedExecution(federation.gateway);
  const live = await createLiveLayer({
    federated,
    tokens,
    rateLimiter,
    trustedDocuments,
    logger,
    bus: options.bus,
    replicaId: options.replicaId,
    socketLimits: options.liveLimits,
    streamLimits: options.liveStreamLimits,
  });
  const yoga = createGatewayYoga({
    tokens,
    logger,
    federated,
    liveSubscriptions: live.plugin,
    rateLimiter,
    trustedDocuments,
    edge: options.edge ?? edgeSettings({}),
    ...(options.metrics && { metrics: options.metrics }),
  });
  const unwatchLive = options.metrics ? watchLiveLayer(options.metrics, () => live.stats()) : () => undefined;
  return {
    yoga,
    readiness: {
      ...Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [name, () => probe(url.replace(/\/graphql$/, "/readyz"))]),
      ),
      ...(registry && { credentials: async () => registry.loaded }),
    },
    attachLiveSockets: (server) => live.attachSockets(server, yoga),
    liveStats: () => live.stats(),
    exportRoutes: exportRoutes(subgraphUrls, credential, { tokens, rateLimiter }, logger),
    closeLive: () => live.close(),
    async close() {
      unwatchLive();
      registry?.stop();
      await live.close();
      await federation.stop();
    },
  };
}

/** The gateway's token checks: the process's shared ones, or its own over identity's list. */
function callerChecks(options: GatewayOptions): { tokens: TokenService; registry: CredentialRegistry | null } {
  if (options.tokens) return { tokens: options.tokens, registry: null };
  const tokens = new TokenService(options.jwtSecret);
  const registry = useIdentityCredentials(tokens, {
    caller: "gateway",
    identityUrl: () => options.subgraphUrls.identity,
    refreshMs: options.credentialRefreshMs ?? DEFAULT_CREDENTIAL_REFRESH_MS,
    logger: options.logger,
  });
  return { tokens, registry };
}

async function probe(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1_500) });
  return response.ok;
}
