import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { GraphQLError, OperationTypeNode, getOperationAST, type ExecutionArgs, type ExecutionResult } from "graphql";
import { CloseCode, type SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { YogaServerInstance } from "graphql-yoga";
import { WebSocketServer, type WebSocket } from "ws";
import { codedError, isGraphQLErrorLike, type Logger, type Principal, type TokenService } from "@lotgraph/kit";
import { maskResult } from "./live-executor.ts";
import { LIVE_SOCKET_TARGET } from "./live-plugin.ts";
import type { SocketTarget } from "./socket-subscriber.ts";
import { frameSocket, type FrameSocket } from "./ws-frames.ts";
import { Counter } from "./counter.ts";

export interface LiveSocketLimits {
  /** Open sockets per process; one more is accepted and closed at once with 1013 (default 5000). */
  maxConnections: number;
  /**
   * Open sockets from one network address (default 500: a plant's floor displays often share one
   * address behind its router). One more is closed with 1013.
   */
  maxConnectionsPerAddress: number;
  /**
   * Sockets from one address that have not yet signed in with connection_init (default 20),
   * counted apart: without a token they cannot use a signed-in user's room. One more: 1013.
   */
  maxUnauthenticatedPerAddress: number;
  /**
   * Signed-in sockets of one user or service account (default 200: a display account may drive
   * many screens). One more is closed with 1013 after its connection_init.
   */
  maxConnectionsPerPrincipal: number;
  /** Subscriptions open at once on one socket (default 50). */
  maxSubscriptionsPerConnection: number;
  /** Interval of the server's WebSocket pings; a socket silent for two of them is dropped (default 12 s). */
  keepAliveMs: number;
  /** Time a client has to send connection_init (default 5 s; then 4408). */
  connectionInitTimeoutMs: number;
}

export const DEFAULT_LIVE_SOCKET_LIMITS: LiveSocketLimits = {
  maxConnections: 5_000,
  maxConnectionsPerAddress: 500,
  maxUnauthenticatedPerAddress: 20,
  maxConnectionsPerPrincipal: 200,
  maxSubscriptionsPerConnection: 50,
  keepAliveMs: 12_000,
  connectionInitTimeoutMs: 5_000,
};

/** Close codes the live layer sends, beside graphql-ws's own (4400, 4408, 4409, 4429, 4500). */
export const LIVE_CLOSE = {
  /** No valid token in connection_init, or it expired: sign in again, then reconnect. */
  forbidden: CloseCode.Forbidden,
  /** The process holds its maximum of sockets: retry later, or on another replica. */
  tryAgainLater: 1013,
  /** The gateway is shutting down: reconnect (to another replica), query, subscribe again. */
  goingAway: 1001,
} as const;

/** What the socket layer knows about one connection once its connection_init was accepted. */
interface Connection {
  principal: Principal;
  token: string;
  expiresAt: Date | null;
  expiryTimer: NodeJS.Timeout | null;
  subscriptions: Set<string>;
}

export interface LiveSockets {
  readonly connections: number;
  /** Closes every socket with 1001 and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * graphql-ws on the gateway's HTTP server, at the same path as HTTP GraphQL. Operations go
 * through yoga's envelop pipeline (parse, validation with the gateway's limits, the JWT check,
 * execution by @apollo/gateway, and subscriptions by the live hub), so a socket can do what HTTP
 * can, plus subscribe.
 */
export function attachLiveSockets(options: {
  server: Server;
  path?: string;
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  tokens: TokenService;
  logger: Logger;
  limits?: Partial<LiveSocketLimits>;
}): LiveSockets {
  const { server, yoga, tokens, logger } = options;
  const path = options.path ?? "/graphql";
  const limits = { ...DEFAULT_LIVE_SOCKET_LIMITS, ...options.limits };
  const connections = new WeakMap<WebSocket, Connection>();
  /** The address of each socket admitted, while it is open. */
  const addresses = new Map<WebSocket, string>();
  /** Each socket as the live hub writes to it: its frames go straight to the upgraded connection. */
  const frameSockets = new WeakMap<WebSocket, FrameSocket>();
  // No compression: the hub writes frames under `ws`, which is safe only while `ws` writes its
  // own frames whole and at once (ws-frames.ts); updates are a few hundred bytes anyway.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  let closing = false;
  const perAddress = new Counter();
  const unauthenticatedPerAddress = new Counter();
  const perPrincipal = new Counter();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((request.url ?? "/").split("?")[0] !== path) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      frameSockets.set(ws, frameSocket(ws, socket));
      if (closing) return ws.close(LIVE_CLOSE.goingAway, "the gateway is shutting down");
      // The new socket is already counted in wss.clients.
      if (wss.clients.size > limits.maxConnections) {
        return ws.close(LIVE_CLOSE.tryAgainLater, "too many connections on this gateway; retry later");
      }
      const address = request.socket.remoteAddress ?? "unknown";
      if (perAddress.count(address) >= limits.maxConnectionsPerAddress) {
        return ws.close(LIVE_CLOSE.tryAgainLater, "too many connections from this address; retry later");
      }
      if (unauthenticatedPerAddress.count(address) >= limits.maxUnauthenticatedPerAddress) {
        return ws.close(LIVE_CLOSE.tryAgainLater, "too many connections waiting to sign in from this address");
      }
      perAddress.add(address);
      unauthenticatedPerAddress.add(address);
      addresses.set(ws, address);
      ws.once("close", () => {
        perAddress.remove(address);
        if (!connections.has(ws) && addresses.has(ws)) unauthenticatedPerAddress.remove(address);
        addresses.delete(ws);
      });
      wss.emit("connection", ws, request);
    });
  };
  server.on("upgrade", onUpgrade);

  const forget = (socket: WebSocket) => {
    const connection = connections.get(socket);
    if (connection?.expiryTimer) clearTimeout(connection.expiryTimer);
    if (connection) perPrincipal.remove(connection.principal.id);
    connections.delete(socket);
  };

  const graphqlWs = useServer<Record<string, unknown> | undefined>(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const token = tokenOf(ctx.connectionParams);
        const session = token ? await tokens.session(token) : null;
        // false → graphql-ws closes with 4403 Forbidden before acknowledging anything.
        if (!session || !token) return false;
        const { socket } = ctx.extra;
        // Closed while its token was checked: nothing to count (its close event has passed).
        if (socket.readyState !== socket.OPEN) return false;
        if (perPrincipal.count(session.principal.id) >= limits.maxConnectionsPerPrincipal) {
          socket.close(LIVE_CLOSE.tryAgainLater, "too many connections for this account; close some, then retry");
          return false;
        }
        // Signed in: no longer one of its address's sockets waiting for connection_init.
        const address = addresses.get(socket);
        if (address !== undefined) unauthenticatedPerAddress.remove(address);
        perPrincipal.add(session.principal.id);
        const connection: Connection = {
          principal: session.principal,
          token,
          expiresAt: session.expiresAt,
          expiryTimer: null,
          subscriptions: new Set(),
        };
        if (session.expiresAt) {
          // setTimeout cannot wait longer than about 24.8 days; longer tokens are re-checked on subscribe.
          const wait = Math.min(session.expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
          connection.expiryTimer = setTimeout(() => socket.close(LIVE_CLOSE.forbidden, "token expired"), wait);
          connection.expiryTimer.unref();
        }
        connections.set(socket, connection);
        socket.once("close", () => forget(socket));
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const { socket } = ctx.extra;
        const connection = connections.get(socket);
        if (!connection) return [new GraphQLError("not connected", { extensions: { code: "UNAUTHENTICATED" } })];
        if (connection.expiresAt && connection.expiresAt.getTime() <= Date.now()) {
          socket.close(LIVE_CLOSE.forbidden, "token expired");
          return [new GraphQLError("token expired", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        const frames = frameSockets.get(socket);
        if (!frames) throw new Error("a graphql-ws socket that did not come through the gateway's upgrade");
        return prepare(yoga, connection, { socket: frames, id }, payload, limits.maxSubscriptionsPerConnection);
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onNext: (_ctx, _id, _payload, _args, result) => maskResult(result),
      onComplete: (ctx, id) => void connections.get(ctx.extra.socket)?.subscriptions.delete(id),
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      closing = true;
      server.off("upgrade", onUpgrade);
      // graphql-ws closes every socket with 1001 Going Away, then the server.
      await graphqlWs.dispose();
      for (const socket of wss.clients) socket.terminate();
      logger.info("live sockets closed");
    },
  };
}

interface Enveloped {
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (
    args: ExecutionArgs,
  ) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> | AsyncIterableIterator<ExecutionResult>;
}

/**
 * Parses and validates one operation with yoga's envelop (the gateway's limits apply) and counts
 * it against the socket's subscription cap. The context carries a request with the connection's
 * token, which is what the JWT plugin, the live plugin and the subgraphs read.
 */
async function prepare(
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>,
  connection: Connection,
  target: SocketTarget,
  payload: SubscribePayload,
  maxSubscriptions: number,
): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const request = new Request("http://gateway.internal/graphql", {
    method: "POST",
    headers: { authorization: `Bearer ${connection.token}`, "x-request-id": randomUUID() },
  });
  const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
    request,
    params: payload,
    // The live hub writes this subscription's updates to the socket itself.
    [LIVE_SOCKET_TARGET]: target,
  });
  // Refusals end this operation alone (an error message for its id), never the socket: they are
  // coded here, as yoga codes them over HTTP. Armor throws its limits from parse and from
  // validation, with its own copy of GraphQLError.
  let document;
  let errors: readonly unknown[];
  try {
    document = parse(payload.query);
    errors = validate(schema, document);
  } catch (error) {
    if (isGraphQLErrorLike(error)) return [codedError(error)];
    throw error;
  }
  if (errors.length > 0) return errors.map(codedError);
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
    if (connection.subscriptions.size >= maxSubscriptions) {
      return [
        new GraphQLError(`at most ${maxSubscriptions} subscriptions may be open on one connection`, {
          extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
        }),
      ];
    }
    // Counted before the first await, so subscribe messages are capped in the order they came.
    connection.subscriptions.add(target.id);
  }
  const rootValue: Enveloped = { execute, subscribe };
  let contextValue;
  try {
    contextValue = await contextFactory();
  } catch (error) {
    connection.subscriptions.delete(target.id); // counted above, but it never starts
    throw error;
  }
  return {
    schema,
    document,
    operationName: payload.operationName ?? null,
    variableValues: payload.variables ?? null,
    contextValue,
    rootValue,
  };
}

/** Open sockets per key (an address, a principal); keys at zero are dropped. */
/** The token of connection_init: `{ authorization: "Bearer …" }` (as HTTP) or `{ token: "…" }`. */
function tokenOf(params: Record<string, unknown> | undefined): string | null {
  const authorization = params?.["authorization"] ?? params?.["Authorization"];
  if (typeof authorization === "string") return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
  const token = params?.["token"];
  return typeof token === "string" && token.length > 0 ? token : null;
}
