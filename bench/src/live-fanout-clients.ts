/**
 * The client side of `npm run bench -- live-fanout`, forked by live-fanout.ts so that reading
 * 2 × BENCH_CLIENTS sockets does not share the server's event loop. It opens one graphql-ws
 * client per subscriber (one subscription each) and as many graphql-ws clients of the raw
 * broadcast server, stamps every message when graphql-ws has handed it to the subscription's
 * sink, and answers the parent over IPC (advanced serialization: typed arrays travel as such).
 * It asserts nothing and prints nothing.
 *
 * Both kinds run the same client code on the same bytes, so both pay the same client-side work:
 * the clients share the machine's cores with the server, and graphql-ws's handling of a message
 * costs about twice a bare `JSON.parse`, which would otherwise be counted against the live side.
 * With `plainRaw` the raw side reads plain `ws` sockets and only parses the JSON (as before).
 */
import { performance } from "node:perf_hooks";
import type { ExecutionResult } from "graphql";
import { createClient, type Client, type SubscribePayload } from "graphql-ws";
import WebSocket from "ws";

export type Channel = "live" | "raw";

/**
 * The id every client gives its one subscription (ids need only be unique on their socket), so
 * that an update framed for any client is byte for byte the one the raw broadcast sends to all.
 */
const SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000000";

export interface StartRequest {
  type: "start";
  liveUrl: string;
  rawUrl: string;
  /** Tokens of the accounts the live clients sign in as: client i uses `tokens[⌊i / clientsPerToken⌋]`. */
  tokens: string[];
  clientsPerToken: number;
  /**
   * Loopback addresses the clients connect from (both kinds): client i from
   * `addresses[⌊i / clientsPerAddress⌋]`, as screens behind several routers would.
   */
  addresses: string[];
  clientsPerAddress: number;
  query: string;
  variables: Record<string, unknown>;
  clients: number;
  /** Raw clients as plain `ws` sockets that only parse the JSON, instead of graphql-ws clients. */
  plainRaw: boolean;
  /** Messages kept per client and channel (receive times past it are counted, not kept). */
  capacity: number;
  /**
   * Clients opening at once from one address: each waits for its connection_ack before the next
   * opens, so no more live sockets than this wait for connection_init per address.
   */
  connectConcurrencyPerAddress: number;
}

export type Request =
  | StartRequest
  | { type: "clock" }
  | { type: "counts" }
  | { type: "usage" }
  | { type: "sample" }
  | { type: "collect" }
  | { type: "stop" };

export interface ChannelCounts {
  /** Fewest messages any client of the channel has received. */
  min: number;
  total: number;
}

export interface Counts {
  live: ChannelCounts;
  raw: ChannelCounts;
  /** graphql-ws subscriptions of either side that ended with an error or completed (e.g. SUBSCRIBER_TOO_SLOW). */
  liveEnded: number;
  liveErrors: string[];
  /** Sockets of either kind that closed before the end. */
  closed: number;
}

export interface Collected {
  /** Per channel, client-major: receive time of message k of client i at [i * capacity + k]. */
  live: Float64Array;
  raw: Float64Array;
  liveCounts: Int32Array;
  rawCounts: Int32Array;
}

export type Reply =
  | { type: "started"; live: number; raw: number; failed: string[]; retried: number }
  | { type: "clock"; t: number }
  | { type: "counts"; counts: Counts }
  | { type: "usage"; cpuMicros: number; idle: number; active: number }
  | { type: "sample"; text: string | null }
  | { type: "collect"; collected: Collected }
  | { type: "stopped" };

/** Wall clock with sub-millisecond precision, the same formula in both processes. */
const now = () => performance.timeOrigin + performance.now();

let capacity = 0;
let liveTimes = new Float64Array(0);
let rawTimes = new Float64Array(0);
let liveCounts = new Int32Array(0);
let rawCounts = new Int32Array(0);
let liveEnded = 0;
const liveErrors: string[] = [];
let closed = false;
let closedSockets = 0;
let sample: string | null = null;
const clients: Client[] = [];
const rawSockets: WebSocket[] = [];

function reply(message: Reply): void {
  process.send?.(message);
}

process.on("message", (message: Request) => {
  void handle(message).catch((error: unknown) => {
    console.error("live-fanout clients:", error);
    process.exit(1);
  });
});
// The parent went away: nothing left to report to.
process.on("disconnect", () => process.exit(0));

async function handle(message: Request): Promise<void> {
  switch (message.type) {
    case "start":
      return start(message);
    case "clock":
      return reply({ type: "clock", t: now() });
    case "counts":
      return reply({ type: "counts", counts: counts() });
    case "usage": {
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      return reply({ type: "usage", cpuMicros: cpu.user + cpu.system, idle: elu.idle, active: elu.active });
    }
    case "sample":
      return reply({ type: "sample", text: sample });
    case "collect":
      return reply({ type: "collect", collected: { live: liveTimes, raw: rawTimes, liveCounts, rawCounts } });
    case "stop":
      await stop();
      reply({ type: "stopped" });
      process.disconnect?.();
      return;
  }
}

function counts(): Counts {
  const summary = (of: Int32Array): ChannelCounts => {
    let min = Number.POSITIVE_INFINITY;
    let total = 0;
    for (const n of of) {
      min = Math.min(min, n);
      total += n;
    }
    return { min: of.length === 0 ? 0 : min, total };
  };
  return {
    live: summary(liveCounts),
    raw: summary(rawCounts),
    liveEnded,
    liveErrors: liveErrors.slice(0, 5),
    closed: closedSockets,
  };
}

function record(times: Float64Array, of: Int32Array, client: number, t: number): void {
  const k = of[client]!++;
  if (k < capacity) times[client * capacity + k] = t;
}

async function start(request: StartRequest): Promise<void> {
  capacity = request.capacity;
  liveTimes = new Float64Array(request.clients * capacity).fill(Number.NaN);
  rawTimes = new Float64Array(request.clients * capacity).fill(Number.NaN);
  liveCounts = new Int32Array(request.clients);
  rawCounts = new Int32Array(request.clients);
  const failed: string[] = [];
  let live = 0;
  let raw = 0;
  const open = async (i: number) => {
    try {
      await Promise.all([retrying(() => openRaw(request, i)), retrying(() => openLive(request, i))]);
      live++;
      raw++;
    } catch (error) {
      if (failed.length < 5) failed.push(error instanceof Error ? error.message : String(error));
    }
  };
  // One pool per address, the pools side by side: the gateway counts waiting sockets per address.
  await Promise.all(
    request.addresses.map((_address, a) => {
      const first = a * request.clientsPerAddress;
      const count = Math.min(request.clientsPerAddress, request.clients - first);
      return pool(count, request.connectConcurrencyPerAddress, (k) => open(first + k));
    }),
  );
  reply({ type: "started", live, raw, failed, retried });
}

/** Connections the server closed as a real client would retry them: busy, or too slow to sign in. */
const RETRIED_CLOSE_CODES = new Set([1013, 4408]);
let retried = 0;

/**
 * Opens a client again, up to three times a second apart, when the server closed it with a code
 * that asks for a retry (on a loaded machine the gateway may read a connection_init after its
 * 5 s wait); other failures are final. Retries are counted and reported.
 */
async function retrying(open: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      const code = error instanceof ClosedError ? error.code : undefined;
      if (attempt >= 3 || code === undefined || !RETRIED_CLOSE_CODES.has(code)) throw error;
      retried++;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

class ClosedError extends Error {
  constructor(
    readonly code: number | undefined,
    reason: string | undefined,
  ) {
    super(`graphql-ws socket closed: ${code ?? "?"} ${reason ?? ""}`.trimEnd());
  }
}

function addressOf(request: StartRequest, i: number): string {
  return request.addresses[Math.floor(i / request.clientsPerAddress)]!;
}

function openRaw(request: StartRequest, i: number): Promise<void> {
  if (!request.plainRaw) {
    return openGraphqlWs(
      request,
      i,
      { url: request.rawUrl, connectionParams: {}, subscribe: { query: "subscription { raw }" } },
      (result) => {
        if (!result.errors?.length) record(rawTimes, rawCounts, i, now());
      },
    );
  }
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(request.rawUrl, { localAddress: addressOf(request, i) });
    rawSockets.push(socket);
    socket.on("message", (data: Buffer) => {
      // The same work the graphql-ws client does before its sink sees a message.
      JSON.parse(data.toString());
      record(rawTimes, rawCounts, i, now());
    });
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("close", () => {
      if (!closed) closedSockets++;
    });
  });
}

function openLive(request: StartRequest, i: number): Promise<void> {
  const token = request.tokens[Math.floor(i / request.clientsPerToken)]!;
  const connection = {
    url: request.liveUrl,
    connectionParams: { authorization: `Bearer ${token}` },
    subscribe: { query: request.query, variables: request.variables },
  };
  return openGraphqlWs(request, i, connection, (result) => {
    const t = now();
    if (result.errors?.length) {
      if (liveErrors.length < 5) liveErrors.push(JSON.stringify(result.errors));
      return;
    }
    record(liveTimes, liveCounts, i, t);
  });
}

/** A graphql-ws client with one subscription; resolves once the server acknowledged the connection. */
function openGraphqlWs(
  request: StartRequest,
  i: number,
  connection: { url: string; connectionParams: Record<string, unknown>; subscribe: SubscribePayload },
  next: (result: ExecutionResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let connected = false;
    const client = createClient({
      url: connection.url,
      webSocketImpl: socketFrom(addressOf(request, i)),
      connectionParams: connection.connectionParams,
      generateID: () => SUBSCRIPTION_ID,
      lazy: false,
      retryAttempts: 0,
      // The server pings (ws protocol level) and `ws` answers them by itself.
      keepAlive: 0,
      on: {
        // Live client 0 keeps the first update's text as sent, so the raw broadcast sends the same bytes.
        opened: (socket) => {
          if (i === 0 && connection.url === request.liveUrl) (socket as WebSocket).on("message", keepSample);
        },
        connected: () => {
          connected = true;
          resolve();
        },
        closed: (event) => {
          // Before it connected, the close is the failure to connect that the caller handles.
          if (connected && !closed) closedSockets++;
          const { code, reason } = event as { code?: number; reason?: string };
          reject(new ClosedError(code, reason));
        },
      },
      onNonLazyError: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
    });
    clients.push(client);
    client.subscribe(connection.subscribe, {
      next,
      error: (error) => {
        liveEnded++;
        if (liveErrors.length < 5) liveErrors.push(JSON.stringify(error));
      },
      complete: () => {
        if (!closed) liveEnded++;
      },
    });
  });
}

function keepSample(data: Buffer): void {
  const text = data.toString();
  if (sample === null && text.includes('"type":"next"')) sample = text;
}

/**
 * graphql-ws constructs its socket with (url, protocol); the address it connects from is added by
 * one class per address (a class per client would make `ws`'s own code megamorphic).
 */
type SocketClass = new (url: string, protocol?: string) => WebSocket;
const socketClasses = new Map<string, SocketClass>();
function socketFrom(localAddress: string): SocketClass {
  let impl = socketClasses.get(localAddress);
  if (!impl) {
    impl = class FromAddress extends WebSocket {
      constructor(url: string, protocol?: string) {
        super(url, protocol, { localAddress });
      }
    };
    socketClasses.set(localAddress, impl);
  }
  return impl;
}

async function stop(): Promise<void> {
  closed = true;
  await Promise.all(clients.map((client) => client.dispose()));
  await Promise.all(
    rawSockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once("close", () => resolve());
          socket.close();
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2_000).unref();
        }),
    ),
  );
}

async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, concurrency) }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
}
