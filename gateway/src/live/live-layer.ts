import type { Server } from "node:http";
import { hostname } from "node:os";
import type { Plugin } from "@envelop/core";
import type { YogaServerInstance } from "graphql-yoga";
import type { Consumption, EventBus, Logger, TokenService } from "@lotgraph/kit";
import type { FederatedExecution } from "../federation.ts";
import { LIVE_BINDINGS, liveSubjects } from "./bindings.ts";
import { createLiveExecutor } from "./live-executor.ts";
import { LiveHub, type LiveHubStats } from "./live-hub.ts";
import { useLiveSubscriptions } from "./live-plugin.ts";
import { LiveServiceCalls } from "./live-service-calls.ts";
import { attachLiveSockets, type LiveSocketLimits, type LiveSockets } from "./live-sockets.ts";
import type { CallerRateLimiter } from "../rate-limits.ts";
import type { TrustedDocuments } from "../trusted-documents.ts";
import { SocketDeliveries } from "./socket-deliveries.ts";
import { LiveStreamAdmission, type LiveStreamLimits } from "./stream-admission.ts";

/** How long the bus keeps a replica's live consumer once nothing reads it (a replica gone for good). */
const LIVE_CONSUMER_IDLE_MS = 60 * 60 * 1000;

export interface LiveLayerOptions {
  federated: FederatedExecution;
  tokens: TokenService;
  /** Counts each subscription opened over a socket against its caller (HTTP ones count at yoga). */
  rateLimiter: CallerRateLimiter;
  /** What a socket of an account limited to registered operations may run. */
  trustedDocuments: TrustedDocuments;
  logger: Logger;
  bus?: EventBus | undefined;
  replicaId?: string | undefined;
  socketLimits?: Partial<LiveSocketLimits> | undefined;
  streamLimits?: Partial<LiveStreamLimits> | undefined;
}

export interface LiveLayer {
  /** The envelop plugin that hands subscriptions to the hub (for yoga's plugins). */
  plugin: Plugin;
  /** Serves graphql-ws on `server`, running operations through `yoga`. */
  attachSockets(server: Server, yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>): void;
  stats(): LiveHubStats & { connections: number; streams: number };
  /** Closes the sockets (1001), ends every subscriber and stops the bus consumer; once. */
  close(): Promise<void>;
}

/**
 * The live layer, one way (docs/decisions/0010): the bus consumer feeds the hub, the hub runs
 * each group's query through the federated execution it is given, and writes the result to the
 * subscribers' sockets (registered in SocketDeliveries) or queues (server-sent events).
 */
export async function createLiveLayer(options: LiveLayerOptions): Promise<LiveLayer> {
  const { tokens, logger } = options;
  const hub = new LiveHub({
    execute: createLiveExecutor(options.federated, new LiveServiceCalls(tokens)),
    logger: logger.child({ component: "live" }),
  });
  const streams = new LiveStreamAdmission(options.streamLimits);
  const deliveries = new SocketDeliveries();
  const consumption = options.bus ? await consumeLiveEvents(options.bus, hub, options.replicaId) : null;
  let sockets: LiveSockets | null = null;
  let closed: Promise<void> | null = null;
  return {
    plugin: useLiveSubscriptions({ hub, tokens, streams, deliveries }),
    attachSockets(server, yoga) {
      const socketLogger = logger.child({ component: "live-sockets" });
      const limits = options.socketLimits;
      sockets = attachLiveSockets({
        server,
        yoga,
        tokens,
        deliveries,
        logger: socketLogger,
        limits,
        rateLimiter: options.rateLimiter,
        trustedDocuments: options.trustedDocuments,
      });
    },
    stats: () => ({ ...hub.stats(), connections: sockets?.connections ?? 0, streams: streams.open }),
    close() {
      closed ??= (async () => {
        await sockets?.close();
        hub.close();
        await consumption?.stop();
      })();
      return closed;
    },
  };
}

/**
 * Each replica reads every live subject with its own durable consumer. Live updates are about
 * now: a new replica does not replay history, and a restarted one resumes where it stopped (its
 * durable survives the restart).
 */
function consumeLiveEvents(bus: EventBus, hub: LiveHub, replicaId: string | undefined): Promise<Consumption> {
  return bus.consume({
    durable: `gateway_live_${durableSafe(replicaId ?? hostname())}`,
    subjects: liveSubjects(),
    startAt: "new",
    inactiveThresholdMs: LIVE_CONSUMER_IDLE_MS,
    handler: (message) => hub.dispatch(message, LIVE_BINDINGS),
  });
}

/** NATS durable names allow no '.', '*', '>' or whitespace. */
function durableSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
