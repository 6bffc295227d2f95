import { createSecretKey, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { useApolloFederation } from "@envelop/apollo-federation";
import { extractFromHeader, useJWT, type GetSigningKeyFunction } from "@graphql-yoga/plugin-jwt";
import {
  CLIENT_ADDRESS_HEADER,
  GATEWAY_PROOF_HEADER,
  GatewayCredential,
  TokenService,
  operationLimitPlugins,
  useInputHygiene,
  useResultSizeLimit,
  useErrorCodes,
  yogaLogger,
  type Consumption,
  type EventBus,
  type Logger,
  type ReadinessCheck,
  type SubgraphName,
} from "@lotgraph/kit";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { LIVE_BINDINGS, liveSubjects } from "./live/bindings.ts";
import { createLiveExecutor } from "./live/live-executor.ts";
import { LiveHub, type LiveExecutor, type LiveHubStats } from "./live/live-hub.ts";
import { useLiveSubscriptions } from "./live/live-plugin.ts";
import { attachLiveSockets, type LiveSocketLimits, type LiveSockets } from "./live/live-sockets.ts";
import { LiveStreamAdmission, type LiveStreamLimits } from "./live/stream-admission.ts";
import { InProcessDataSource, type InProcessSubgraph } from "./in-process-subgraph.ts";
import { maskError } from "./mask-error.ts";

const SUPERGRAPH_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schema", "supergraph.graphql");

export interface GatewayOptions {
  subgraphUrls: Record<SubgraphName, string>;
  jwtSecret: string;
  logger: Logger;
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

/** How long the bus keeps a replica's live consumer once nothing reads it (a replica gone for good). */
const LIVE_CONSUMER_IDLE_MS = 60 * 60 * 1000;

/** Headers the gateway forwards to every subgraph: the caller's token and the request id. */
const FORWARDED_HEADERS = ["authorization", "x-request-id"] as const;

/**
 * The headers of a subgraph fetch: the caller's, forwarded, and the gateway's proof (subgraphs
 * answer nobody else; the caller's token says who is asking).
 */
function subgraphHeaders(credential: GatewayCredential) {
  return (context: Record<string, unknown>): Record<string, string> => {
    const incoming = (context as { request?: Request }).request;
    const headers: Record<string, string> = { [GATEWAY_PROOF_HEADER]: credential.current() };
    // The address the request came from, as this process saw it (sign-in throttling).
    const address = (context as { req?: IncomingMessage }).req?.socket?.remoteAddress;
    if (address) headers[CLIENT_ADDRESS_HEADER] = address;
    for (const header of FORWARDED_HEADERS) {
      const value = incoming?.headers.get(header);
      if (value) headers[header] = value;
    }
    return headers;
  };
}

/**
 * The public entry point: graphql-yoga hosting @apollo/gateway (static supergraph), with JWT
 * verification, operation limits and error masking from maintained plugins. Subgraphs verify
 * the forwarded token again; the gateway rejects bad tokens early.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger, subgraphUrls } = options;
  const inProcess = options.inProcessSubgraphs ?? {};
  const tokens = new TokenService(options.jwtSecret);
  const credential = await GatewayCredential.create(tokens);
  const forwardedHeaders = subgraphHeaders(credential);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, "utf8"),
    logger: logger.child({ component: "apollo-gateway" }),
    buildService: ({ name, url }) => {
      const subgraphUrl = subgraphUrls[name as SubgraphName] ?? url;
      const local = inProcess[name as SubgraphName];
      if (local) return new InProcessDataSource(subgraphUrl, local, forwardedHeaders);
      return new RemoteGraphQLDataSource({
        url: subgraphUrl,
        willSendRequest({ request, context }) {
          for (const [header, value] of Object.entries(forwardedHeaders(context))) {
            request.http?.headers.set(header, value);
          }
        },
      });
    },
  });
  await gateway.load();
  // The hub executes through yoga, and yoga's plugins include the hub: the executor is set below.
  let liveExecutor: LiveExecutor | null = null;
  const hub = new LiveHub({
    execute: (...args) => {
      if (!liveExecutor) throw new Error("the gateway is not built yet");
      return liveExecutor(...args);
    },
    logger: logger.child({ component: "live" }),
  });
  const streams = new LiveStreamAdmission(options.liveStreamLimits);
  const yoga = createYoga<Record<string, unknown>, Record<string, unknown>>({
    graphqlEndpoint: "/graphql",
    landingPage: false,
    logging: yogaLogger(logger.child({ component: "yoga" })),
    maskedErrors: { maskError },
    plugins: [
      {
        // Every request gets an id, reused by the subgraphs' logs.
        onRequest({ request }) {
          if (!request.headers.get("x-request-id")) request.headers.set("x-request-id", randomUUID());
        },
      },
      useJWT({
        signingKeyProviders: [signingKey(options.jwtSecret)],
        tokenLookupLocations: [extractFromHeader({ name: "authorization", prefix: "Bearer" })],
        tokenVerification: { algorithms: ["HS256"], issuer: "lotgraph", audience: "lotgraph" },
        // Anonymous requests go on (login needs them); subgraphs refuse what needs a caller.
        reject: { missingToken: false, invalidToken: true },
      }),
      ...operationLimitPlugins(),
      useInputHygiene(),
      useResultSizeLimit(),
      useErrorCodes(),
      useApolloFederation({ gateway }),
      useLiveSubscriptions(hub, tokens, streams),
    ],
  });
  liveExecutor = createLiveExecutor(yoga, tokens);
  const consumption: Consumption | null = options.bus
    ? await options.bus.consume({
        durable: `gateway_live_${durableSafe(options.replicaId ?? hostname())}`,
        subjects: liveSubjects(),
        // Live updates are about now: a new replica does not replay history, and a restarted one
        // resumes where it stopped (its durable survives the restart).
        startAt: "new",
        inactiveThresholdMs: LIVE_CONSUMER_IDLE_MS,
        handler: (message) => hub.dispatch(message, LIVE_BINDINGS),
      })
    : null;
  let sockets: LiveSockets | null = null;
  let liveClosed = false;
  const closeLive = async () => {
    if (liveClosed) return;
    liveClosed = true;
    await sockets?.close();
    hub.close();
    await consumption?.stop();
  };
  return {
    yoga,
    readiness: Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, url]) => [name, () => probe(url.replace(/\/graphql$/, "/readyz"))]),
    ),
    attachLiveSockets(server) {
      sockets = attachLiveSockets({
        server,
        yoga,
        tokens,
        logger: logger.child({ component: "live-sockets" }),
        limits: options.liveLimits,
      });
    },
    liveStats: () => ({ ...hub.stats(), connections: sockets?.connections ?? 0, streams: streams.open }),
    exportRoutes: exportRoutes(subgraphUrls, credential, logger),
    closeLive,
    async close() {
      await closeLive();
      await gateway.stop();
    },
  };
}

/** NATS durable names allow no '.', '*', '>' or whitespace. */
function durableSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}

async function probe(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1_500) });
  return response.ok;
}

/** Plain-HTTP exports the gateway serves beside /graphql (DESIGN.md §5). */
export const EXPORT_PATHS = ["/exports/fsma204.csv", "/exports/audit.csv"] as const;

/**
 * Routes for {@link serve}: each export path is forwarded as is (path, query, the caller's
 * Authorization and the request id) to the traceability subgraph, whose base URL is its /graphql
 * URL without the path, and its response is streamed back. The subgraph verifies the token and
 * the role itself, so the gateway adds no second rule that could drift from it.
 */
function exportRoutes(
  subgraphUrls: Record<SubgraphName, string>,
  credential: GatewayCredential,
  logger?: Logger,
): Record<string, (req: IncomingMessage, res: ServerResponse) => void> {
  const base = new URL(subgraphUrls.traceability);
  const forward = (req: IncomingMessage, res: ServerResponse) => void proxy(base, credential, req, res, logger);
  return Object.fromEntries(EXPORT_PATHS.map((path) => [path, forward]));
}

/** Lets a browser page on another origin read an export's body and file name. */
const EXPORT_CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "content-disposition",
} as const;

/** Response headers worth passing on (hop-by-hop ones such as transfer-encoding are not). */
const EXPORT_RESPONSE_HEADERS = ["content-type", "content-disposition", "cache-control", "www-authenticate", "allow"];

async function proxy(
  base: URL,
  credential: GatewayCredential,
  req: IncomingMessage,
  res: ServerResponse,
  logger?: Logger,
): Promise<void> {
  // The web app downloads exports from another origin (its own port) with a bearer token: a
  // CORS preflight first. No cookie is involved, so any origin may ask; the token decides.
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      ...EXPORT_CORS_HEADERS,
      "access-control-allow-methods": "GET, HEAD",
      "access-control-allow-headers": "authorization, x-request-id",
      "access-control-max-age": "600",
    });
    return void res.end();
  }
  const target = new URL(req.url ?? "/", base);
  const headers = new Headers({ [GATEWAY_PROOF_HEADER]: credential.current() });
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  if (!headers.has("x-request-id")) headers.set("x-request-id", randomUUID());
  try {
    // The export is read-only and small per request; GET/HEAD carry no body to forward. Other
    // methods are passed on too so that the subgraph answers them (405) in one place.
    const upstream = await fetch(target, { method: req.method ?? "GET", headers, redirect: "manual" });
    const out: Record<string, string> = { ...EXPORT_CORS_HEADERS };
    for (const name of EXPORT_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out[name] = value;
    }
    res.writeHead(upstream.status, out);
    if (upstream.body === null) return void res.end();
    await pump(upstream.body, res);
  } catch (error) {
    logger?.error({ err: error, url: target.pathname }, "export forwarding failed");
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
    res.end("the traceability service is unavailable\n");
  }
}

/** Copies a fetch body to a Node response with backpressure; stops reading if the client leaves. */
async function pump(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  res.once("close", cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      // A client that leaves mid-download never drains: `close` ends the wait too.
      if (!res.write(value)) await Promise.race([once(res, "drain"), once(res, "close")]);
    }
    res.end();
  } finally {
    res.off("close", cancel);
  }
}

/**
 * The HS256 secret as a KeyObject, made once. The plugin hands it to jsonwebtoken, which accepts
 * a KeyObject; given the secret as a string, jsonwebtoken first tries to read it as a public key
 * on every request, and that failed attempt (an exception with its stack) cost ~0.7 ms per call.
 * The plugin's type only names strings, hence the cast.
 */
function signingKey(secret: string): GetSigningKeyFunction {
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  return () => key as unknown as string;
}
