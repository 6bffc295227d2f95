import type { Server } from "node:http";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { YogaServerInstance } from "graphql-yoga";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger, TokenService } from "@lotgraph/kit";
import { maskResult } from "../mask-error.ts";
import { rateLimited, type CallerRateLimiter } from "../rate-limits.ts";
import type { TrustedDocuments } from "../trusted-documents.ts";
import { SocketAdmission } from "./socket-admission.ts";
import { subscriberIdOf, type SocketDeliveries } from "./socket-deliveries.ts";
import { DEFAULT_LIVE_SOCKET_LIMITS, LIVE_CLOSE, type LiveSocketLimits } from "./socket-limits.ts";
import { prepareSocketOperation, type Enveloped } from "./socket-operations.ts";
import { SocketSessions, tokenOf, type SocketSession } from "./socket-sessions.ts";

export { DEFAULT_LIVE_SOCKET_LIMITS, LIVE_CLOSE, type LiveSocketLimits } from "./socket-limits.ts";

export interface LiveSockets {
  readonly connections: number;
  /** Closes every socket with 1001 and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * graphql-ws on the gateway's HTTP server, at the same path as HTTP GraphQL. Operations go
 * through yoga's envelop pipeline (parse, validation with the gateway's limits, execution by
 * @apollo/gateway, and subscriptions by the live hub), so a socket can do what HTTP can, plus
 * subscribe. The socket's token is checked once, at connection_init (SocketSessions); its
 * operations run as that session.
 */
export function attachLiveSockets(options: {
  server: Server;
  path?: string;
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  tokens: TokenService;
  /** Where the hub writes each subscription's frames: registered here, read by the live plugin. */
  deliveries: SocketDeliveries;
  logger: Logger;
  limits?: Partial<LiveSocketLimits>;
  rateLimiter: CallerRateLimiter;
  trustedDocuments: TrustedDocuments;
}): LiveSockets {
  const { server, yoga, deliveries, logger } = options;
  const limits = { ...DEFAULT_LIVE_SOCKET_LIMITS, ...options.limits };
  // No compression: the hub writes frames under `ws`, which is safe only while `ws` writes its
  // own frames whole and at once (ws-frames.ts); updates are a few hundred bytes anyway.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const admission = new SocketAdmission(wss, options.path ?? "/graphql", limits);
  const sessions = new SocketSessions(options.tokens, admission);
  server.on("upgrade", admission.onUpgrade);

  const graphqlWs = useServer<Record<string, unknown> | undefined>(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const { socket } = ctx.extra;
        const session = await sessions.open(socket, tokenOf(ctx.connectionParams));
        // false → graphql-ws closes with 4403 Forbidden before acknowledging anything.
        if (!session) return false;
        socket.once("close", () => releaseAll(deliveries, session));
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const { socket } = ctx.extra;
        const session = sessions.of(socket);
        const refusal = await refusalOf(session, socket, options, payload.query);
        if (refusal || !session) return [refusal!];
        const operation = { session, socket: admission.frameSocketOf(socket), id, payload };
        return prepareSocketOperation(yoga, deliveries, operation, limits.maxSubscriptionsPerConnection);
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onNext: (_ctx, _id, _payload, _args, result) => maskResult(result),
      onComplete: (ctx, id) => release(deliveries, sessions.of(ctx.extra.socket), id),
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      admission.close();
      sessions.dispose();
      server.off("upgrade", admission.onUpgrade);
      // graphql-ws closes every socket with 1001 Going Away, then the server.
      await graphqlWs.dispose();
      for (const socket of wss.clients) socket.terminate();
      logger.info("live sockets closed");
    },
  };
}

/**
 * Why a socket's operation may not run: not signed in, its token expired (the socket closes with
 * 4403), or its caller over the rate limit (each operation counts, as an HTTP request would).
 */
async function refusalOf(
  session: SocketSession | undefined,
  socket: WebSocket,
  checks: { tokens: TokenService; rateLimiter: CallerRateLimiter; trustedDocuments: TrustedDocuments },
  query: string,
): Promise<GraphQLError | null> {
  if (!session) return new GraphQLError("not connected", { extensions: { code: "UNAUTHENTICATED" } });
  if (session.expiresAt && session.expiresAt.getTime() <= Date.now()) {
    socket.close(LIVE_CLOSE.forbidden, "token expired");
    return new GraphQLError("token expired", { extensions: { code: "UNAUTHENTICATED" } });
  }
  if (checks.tokens.registry?.trustedDocumentsOnly(session.principal.id) && !checks.trustedDocuments.has(query)) {
    return new GraphQLError("this account may run registered operations only", {
      extensions: { code: "FORBIDDEN", reason: "TRUSTED_DOCUMENTS_ONLY" },
    });
  }
  const wait = await checks.rateLimiter.take({ principal: session.principal.id });
  return wait === null ? null : rateLimited(wait);
}

/** A subscription that completed counts no more against its socket's cap, nor has anywhere to deliver. */
function release(deliveries: SocketDeliveries, session: SocketSession | undefined, id: string): void {
  if (!session) return;
  session.subscriptions.delete(id);
  deliveries.release(subscriberIdOf(session.id, id));
}

/** A closed socket's subscriptions no longer have anywhere to deliver. */
function releaseAll(deliveries: SocketDeliveries, session: SocketSession): void {
  for (const id of session.subscriptions) deliveries.release(subscriberIdOf(session.id, id));
}
