import { fork, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { subscribe as subscribeChannel, unsubscribe as unsubscribeChannel } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { SUBJECTS, type BusMessage, type Consumption } from "@lotgraph/kit";
import WebSocket, { WebSocketServer } from "ws";
import { startLotgraph, type RunningLotgraph } from "@lotgraph/lotgraph";
import type { LiveHubStats } from "@lotgraph/gateway/live/live-hub";
import { SocketSubscriber } from "@lotgraph/gateway/live/socket-subscriber";
import { DEFAULT_LIVE_SOCKET_LIMITS } from "@lotgraph/gateway/live/socket-limits";
import type { Channel, Collected, Counts, Reply, Request } from "./live-fanout-clients.ts";
import { dropServicesState } from "@lotgraph/kit/testing";
import { client, creator } from "./gateway-client.ts";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
/**
 * Events per second. On the reference machine (2 vCPU; server, clients and loopback share them)
 * 20/s saturates the raw baseline itself (server and client event loops ~90 % busy: 20,000
 * socket writes and reads a second), so its latency is CPU queueing, not a broadcast; at 10/s the
 * live side sits at the edge of saturation (event loop 95–99 % busy) and runs disagree by 5×.
 * At 5/s both sides have headroom and runs agree; BENCH_RATE explores the rest.
 */
const RATE = Number(process.env.BENCH_RATE ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
/** Rounds of one raw and one live phase; odd rounds run live first (raw live, live raw, …). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
/**
 * How the gateway reaches the subgraphs: "in-process" (the all-in-one default) or "http" (as
 * when each service runs in its own process; then the subgraph requests are timed too).
 */
const SUBGRAPH_TRANSPORT = process.env.BENCH_SUBGRAPH_TRANSPORT === "http" ? "http" : "in-process";
/**
 * BENCH_RAW_CLIENT=plain: the raw broadcast's clients are plain `ws` sockets that only parse the
 * JSON, as before graphql-ws clients read both sides (live-fanout-clients.ts says why they do).
 */
const PLAIN_RAW_CLIENTS = process.env.BENCH_RAW_CLIENT === "plain";
/** After the last event, how long no message may arrive before what is missing counts as dropped. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 5_000);
const ADMIN_PASSWORD = "bench-admin-password";
/**
 * The gateway's own socket caps, which the clients stay under as real screens would: half an
 * account's cap of sockets per account, half an address's cap per address (each a loopback
 * address of its own), and no more sockets per address waiting for connection_init than allowed.
 */
const CLIENTS_PER_ACCOUNT = Math.floor(DEFAULT_LIVE_SOCKET_LIMITS.maxConnectionsPerPrincipal / 2);
const CLIENTS_PER_ADDRESS = Math.floor(DEFAULT_LIVE_SOCKET_LIMITS.maxConnectionsPerAddress / 2);
const CONNECTING_PER_ADDRESS = DEFAULT_LIVE_SOCKET_LIMITS.maxUnauthenticatedPerAddress;
const CLIENT_SCRIPT = join(import.meta.dirname, "live-fanout-clients.ts");

/** Three subgraphs: inventory (code, quantity, status), quality (qualityStatus), traceability (parents). */
const SUBSCRIPTION = `subscription LotFanout($lotId: ID) {
  lotChanged(lotId: $lotId) { id code quantity status qualityStatus parents { code } }
}`;

type Mode = "embedded" | "services";

/** Wall clock with sub-millisecond precision; the client process uses the same formula. */
const now = () => performance.timeOrigin + performance.now();

interface Phase {
  channel: Channel;
  /** Index in the channel's event sequence of this phase's first event. */
  from: number;
  count: number;
  /** Publisher lateness against its fixed schedule (ms): the server loop was busy. */
  lateMs: number[];
  publishFailures: number;
  /** Server-side writes of an update on this channel during the phase (see {@link tapSends}). */
  sends: number[];
  subgraphRequests: number[];
  elu: EventLoopUtilization;
  cpuMs: number;
  clientElu: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  hub: LiveHubStats | null;
  counts: Counts;
}

/**
 * `npm run bench -- live-fanout`: BENCH_CLIENTS graphql-ws clients subscribed to one lot's
 * `lotChanged` (fields of three subgraphs), events published on the bus at BENCH_RATE per second,
 * BENCH_EVENTS per phase; commit-to-client latency (publish call → the client's graphql-ws has
 * handed the update to its subscription) and drops, beside a raw `ws` broadcast of the same bytes
 * to as many sockets (read by the same client code), fed by its own consumer of the same bus, in
 * the same run. Raw and live phases alternate (raw
 * live, live raw, …) so they never compete for the CPU and slow drift cancels out. The clients
 * run in a child process. Embedded mode, and services mode when DATABASE_URL and NATS_URL are set.
 */
export async function main(): Promise<void> {
  const modes: Mode[] = ["embedded"];
  if (process.env.DATABASE_URL && process.env.NATS_URL) modes.push("services");
  else console.log("services mode skipped: set DATABASE_URL and NATS_URL to measure it");
  const sends = tapSends();
  for (const mode of modes) await measure(mode, sends);
}

async function measure(mode: Mode, sends: SendTap): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "lotgraph-bench-"));
  const unique = randomBytes(4).toString("hex");
  const prefix = `bench${unique}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: "warn",
    LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  if (mode === "embedded") {
    delete env.DATABASE_URL;
    delete env.NATS_URL;
  } else {
    env.LOTGRAPH_JWT_SECRET = randomBytes(32).toString("hex");
    env.LOTGRAPH_BUS_NAMESPACE = prefix;
  }
  let lotgraph: RunningLotgraph | null = null;
  let child: ClientProcess | null = null;
  let raw: RawBroadcast | null = null;
  const subgraphs = tapSubgraphRequests();
  try {
    lotgraph = await startLotgraph({
      env,
      dataDir,
      gatewayPort: 0,
      subgraphPorts: "ephemeral",
      subgraphTransport: SUBGRAPH_TRANSPORT,
      schemaPrefix: prefix,
      quiet: true,
    });
    subgraphs.ports = new Set(Object.values(lotgraph.subgraphUrls).map((url) => Number(new URL(url).port)));
    const gql = client(lotgraph.gatewayUrl);
    const token = (
      await gql<{ login: { token: string } }>(null, `mutation ($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email: lotgraph.admin.email, password: ADMIN_PASSWORD },
      })
    ).login.token;
    const create = creator(gql, token);
    const site = await create("createLocation", "location", { code: "F-SITE", name: "Fan-out site", kind: "SITE" });
    const materialId = await create("createMaterial", "material", {
      sku: "F-RAW",
      name: "Fan-out raw",
      uom: "kg",
      kind: "RAW",
      tracking: "LOT",
    });
    const lot = (code: string) => create("receiveLot", "lot", { materialId, quantity: "100", locationId: site, code });
    // The live clients subscribe to lot A; the raw broadcast sends on events of lot B, so each
    // phase's events reach one side only.
    const lots: Record<Channel, string> = { live: await lot("F-LIVE-A"), raw: await lot("F-RAW-B") };

    const tokens = await displayAccounts(gql, token, Math.ceil(CLIENTS / CLIENTS_PER_ACCOUNT), prefix);
    const addresses = Array.from({ length: Math.ceil(CLIENTS / CLIENTS_PER_ADDRESS) }, (_, k) => `127.0.0.${k + 1}`);

    raw = await startRawBroadcast(lotgraph, lots.raw, sends);
    child = await ClientProcess.fork();
    const capacity = WARMUP + ROUNDS * EVENTS + 16;
    const started = await child.ask({
      type: "start",
      liveUrl: `ws://127.0.0.1:${new URL(lotgraph.gatewayUrl).port}/graphql`,
      rawUrl: `ws://127.0.0.1:${raw.port}/`,
      tokens,
      clientsPerToken: CLIENTS_PER_ACCOUNT,
      addresses,
      clientsPerAddress: CLIENTS_PER_ADDRESS,
      query: SUBSCRIPTION,
      variables: { lotId: lots.live },
      clients: CLIENTS,
      capacity,
      plainRaw: PLAIN_RAW_CLIENTS,
      connectConcurrencyPerAddress: CONNECTING_PER_ADDRESS,
    });
    if (started.type !== "started" || started.live !== CLIENTS || started.raw !== CLIENTS) {
      throw new Error(`clients did not all connect: ${JSON.stringify(started)}`);
    }
    console.log(
      `${mode} mode: ${CLIENTS} live clients signed in as ${tokens.length} accounts (≤ ${CLIENTS_PER_ACCOUNT} each), ` +
        `from ${addresses.length} loopback addresses (≤ ${CLIENTS_PER_ADDRESS} each, ≤ ${CONNECTING_PER_ADDRESS} connecting at once); ` +
        `${started.retried} connections retried after a 1013 or 4408 close; ${machineLoad()}`,
    );
    await until(`${CLIENTS} live subscribers`, () => lotgraph!.liveStats().subscribers >= CLIENTS);
    await until(`${CLIENTS} raw sockets`, () => raw!.server.clients.size >= CLIENTS);
    const offset = await clockOffset(child);

    const published: Record<Channel, number[]> = { live: [], raw: [] };
    const publisher = (channel: Channel) => (count: number) =>
      publish(lotgraph!, lots[channel], materialId, count, published[channel]);

    // Warm-up: JIT, the gateway's query plan, connections to the subgraphs. Client 0 keeps the
    // first update as sent, and the raw broadcast sends those bytes from then on.
    await publisher("live")(WARMUP);
    await drain(child, "live", WARMUP);
    const sample = await child.ask({ type: "sample" });
    if (sample.type !== "sample" || !sample.text) throw new Error("no live update arrived during the warm-up");
    raw.payload = JSON.parse(sample.text) as unknown;
    await publisher("raw")(WARMUP);
    await drain(child, "raw", WARMUP);

    const phases: Phase[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Channel[] = round % 2 === 0 ? ["raw", "live"] : ["live", "raw"];
      for (const channel of order) {
        phases.push(await runPhase(lotgraph, child, channel, publisher(channel), published[channel], sends, subgraphs));
      }
    }
    const collected = await child.ask({ type: "collect" });
    if (collected.type !== "collect") throw new Error("the clients sent no receive times");
    report({
      mode,
      phases,
      published,
      collected: collected.collected,
      capacity,
      offset,
      payloadBytes: Buffer.byteLength(sample.text),
      stats: lotgraph.liveStats(),
    });
  } finally {
    // Each step on its own: one failing must neither skip the others nor hide the run's error.
    subgraphs.dispose();
    await attempt("stop the client process", () => child?.stop());
    await attempt("stop the raw broadcast", () => raw?.stop());
    await attempt("stop Lotgraph", () => lotgraph?.stop());
    await attempt("remove the data directory", () => rm(dataDir, { recursive: true, force: true }));
    if (mode === "services") await attempt("drop the run's schemas and stream", () => dropServicesState(prefix));
  }
}

/**
 * Display accounts for the clients, made through the identity API as an administrator would: one
 * VIEWER service account per CLIENTS_PER_ACCOUNT clients, whose token its screens sign in with.
 * All hold the same role, so all their subscriptions share one group.
 */
async function displayAccounts(
  gql: ReturnType<typeof client>,
  adminToken: string,
  count: number,
  prefix: string,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let k = 0; k < count; k++) {
    const data = await gql<{ createServiceAccount: { token: string } }>(
      adminToken,
      `mutation ($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { token } }`,
      { i: { name: `${prefix}-display-${k}`, roles: ["VIEWER"] } },
    );
    tokens.push(data.createServiceAccount.token);
  }
  return tokens;
}

async function runPhase(
  lotgraph: RunningLotgraph,
  child: ClientProcess,
  channel: Channel,
  publishEvents: (count: number) => Promise<{ lateMs: number[]; failures: number }>,
  published: number[],
  sends: SendTap,
  subgraphs: SubgraphTap,
): Promise<Phase> {
  const from = published.length;
  const hubBefore = lotgraph.liveStats();
  const sendsFrom = sends[channel].length;
  const subgraphsFrom = subgraphs.durations.length;
  const clientBefore = await child.usage();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const { lateMs, failures } = await publishEvents(EVENTS);
  const counts = await drain(child, channel, from + EVENTS);
  const cpuAfter = process.cpuUsage(cpu);
  const eluAfter = performance.eventLoopUtilization(elu);
  delay.disable();
  const clientAfter = await child.usage();
  const hubAfter = lotgraph.liveStats();
  return {
    channel,
    from,
    count: EVENTS,
    lateMs,
    publishFailures: failures,
    sends: sends[channel].slice(sendsFrom),
    subgraphRequests: subgraphs.durations.slice(subgraphsFrom),
    elu: eluAfter,
    cpuMs: (cpuAfter.user + cpuAfter.system) / 1000,
    clientElu:
      (clientAfter.active - clientBefore.active) /
      (clientAfter.active - clientBefore.active + clientAfter.idle - clientBefore.idle || 1),
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
    hub: channel === "live" ? diffStats(hubAfter, hubBefore) : null,
    counts,
  };
}

/**
 * Publishes `count` synthetic `lot.adjusted` events of `lotId` at RATE per second on a fixed
 * schedule (publishes are not awaited one by one, so a slow acknowledgement does not shift the
 * next event). The publish time is taken just before the call: the moment the outbox relay
 * would hand a committed event to the bus.
 */
async function publish(
  lotgraph: RunningLotgraph,
  lotId: string,
  materialId: string,
  count: number,
  times: number[],
): Promise<{ lateMs: number[]; failures: number }> {
  const interval = 1000 / RATE;
  const lateMs: number[] = [];
  const pending: Array<Promise<void>> = [];
  let failures = 0;
  const begin = performance.now() + interval;
  for (let k = 0; k < count; k++) {
    const due = begin + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    lateMs.push(Math.max(0, performance.now() - due));
    const message: BusMessage = {
      id: randomUUID(),
      subject: SUBJECTS.inventory.lotAdjusted,
      entityType: "Lot",
      entityId: lotId,
      payload: {
        lotId,
        materialId,
        movementId: randomUUID(),
        onHand: "100",
        status: "AVAILABLE",
        delta: "0",
        reason: "bench",
      },
      occurredAt: new Date().toISOString(),
    };
    times.push(now());
    pending.push(lotgraph.bus.publish(message).catch(() => void failures++));
  }
  await Promise.all(pending);
  return { lateMs, failures };
}

/**
 * Waits until every client of `channel` has `expected` messages. Late is not lost: the wait goes
 * on while messages keep arriving, and what has not arrived once none came for DRAIN_MS counts
 * as dropped.
 */
async function drain(child: ClientProcess, channel: Channel, expected: number): Promise<Counts> {
  let progress = performance.now();
  let total = -1;
  for (;;) {
    const reply = await child.ask({ type: "counts" });
    if (reply.type !== "counts") throw new Error("unexpected reply");
    const counts = reply.counts;
    if (counts[channel].min >= expected) return counts;
    if (counts[channel].total !== total) {
      total = counts[channel].total;
      progress = performance.now();
    } else if (performance.now() - progress > DRAIN_MS) return counts;
    await sleep(20);
  }
}

interface RawBroadcast {
  server: WebSocketServer;
  port: number;
  payload: unknown;
  stop(): Promise<void>;
}

/**
 * The baseline: a second consumer of the same bus (own durable, from new events on) that, for
 * each event of its lot, encodes the payload once and writes the same buffer to every socket of
 * a plain `ws` server: what a broadcast costs with no execution, no per-subscriber work. Its
 * clients are graphql-ws clients too (BENCH_RAW_CLIENT=plain: bare sockets), and every client
 * names its subscription alike, so the bytes sent are a live update's.
 */
async function startRawBroadcast(lotgraph: RunningLotgraph, lotId: string, sends: SendTap): Promise<RawBroadcast> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  // Just enough of graphql-ws for its clients: acknowledge connection_init; subscribe needs no
  // answer, the broadcast's frames carry the id every client gives its subscription.
  server.on("connection", (socket) => {
    socket.on("message", (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type?: string }).type === "connection_init") {
        socket.send(JSON.stringify({ type: "connection_ack" }));
      }
    });
  });
  sends.rawServer = server;
  const broadcast: RawBroadcast = {
    server,
    port,
    payload: null,
    async stop() {
      await consumption.stop();
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const consumption: Consumption = await lotgraph.bus.consume({
    durable: "bench_live_fanout_raw",
    subjects: [SUBJECTS.inventory.lotAdjusted],
    startAt: "new",
    inactiveThresholdMs: 60_000,
    handler: async (message) => {
      if (message.entityId !== lotId || broadcast.payload === null) return;
      const bytes = Buffer.from(JSON.stringify(broadcast.payload));
      for (const socket of server.clients) socket.send(bytes, { binary: false });
    },
  });
  return broadcast;
}

interface SendTap {
  live: number[];
  raw: number[];
  rawServer: WebSocketServer | null;
}

/**
 * Stamps every server-side write of an update: the raw broadcast's `ws` sends (its own server's
 * sockets) and the live hub's writes to its graphql-ws subscribers (which frame their messages
 * and write under `ws`, so they are stamped where the hub hands each subscriber its update).
 * With every message delivered in order, the n-th write of a phase belongs to event ⌊n / clients⌋,
 * which splits the server's share of the latency into publish → first write (execution) and first
 * → last write (fan-out). One `performance.now()` per write, on both paths alike.
 */
function tapSends(): SendTap {
  const tap: SendTap = { live: [], raw: [], rawServer: null };
  const send = WebSocket.prototype.send as (this: WebSocket, ...args: unknown[]) => void;
  WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]) {
    if (tap.rawServer?.clients.has(this)) tap.raw.push(now());
    return send.apply(this, args);
  } as typeof WebSocket.prototype.send;
  const push = SocketSubscriber.prototype.push;
  SocketSubscriber.prototype.push = function (this: SocketSubscriber, result) {
    tap.live.push(now());
    return push.call(this, result);
  };
  return tap;
}

interface SubgraphTap {
  ports: Set<number>;
  /** Durations (ms) of the subgraphs' HTTP requests, in order of completion. */
  durations: number[];
  dispose(): void;
}

/** Times the subgraphs' HTTP requests (the federated executions' fetches) with Node's diagnostics channels. */
function tapSubgraphRequests(): SubgraphTap {
  const startedAt = new WeakMap<IncomingMessage, number>();
  const tap: SubgraphTap = { ports: new Set(), durations: [], dispose: () => undefined };
  const onStart = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (tap.ports.has(request.socket.localPort ?? -1)) startedAt.set(request, performance.now());
  };
  const onFinish = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const start = startedAt.get(request);
    if (start !== undefined) tap.durations.push(performance.now() - start);
  };
  subscribeChannel("http.server.request.start", onStart);
  subscribeChannel("http.server.response.finish", onFinish);
  tap.dispose = () => {
    unsubscribeChannel("http.server.request.start", onStart);
    unsubscribeChannel("http.server.response.finish", onFinish);
  };
  return tap;
}

/** The client process and its IPC: one request of a kind at a time, answered in order. */
class ClientProcess {
  readonly #waiting = new Map<Reply["type"], Array<(reply: Reply) => void>>();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (reply: Reply) => this.#waiting.get(reply.type)?.shift()?.(reply));
  }

  static async fork(): Promise<ClientProcess> {
    const child = fork(CLIENT_SCRIPT, [], {
      // BENCH_CLIENT_CPU_PROF=<dir>: a CPU profile of the client process, to tell its share of the latency.
      execArgv: [
        "--import",
        "tsx",
        ...(process.env.BENCH_CLIENT_CPU_PROF
          ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CLIENT_CPU_PROF}`]
          : []),
      ],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    return new ClientProcess(child);
  }

  ask(request: Extract<Request, { type: "start" }>): Promise<Reply>;
  ask(request: Request): Promise<Reply>;
  ask(request: Request): Promise<Reply> {
    const type = (
      request.type === "start" ? "started" : request.type === "stop" ? "stopped" : request.type
    ) as Reply["type"];
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || !this.child.connected) {
        return reject(new Error(`the client process is gone (exit code ${this.child.exitCode})`));
      }
      const exited = () => reject(new Error(`the client process exited (code ${this.child.exitCode})`));
      this.child.once("exit", exited);
      const queue = this.#waiting.get(type) ?? [];
      queue.push((reply) => {
        this.child.off("exit", exited);
        resolve(reply);
      });
      this.#waiting.set(type, queue);
      this.child.send(request);
    });
  }

  async usage(): Promise<{ cpuMicros: number; idle: number; active: number }> {
    const reply = await this.ask({ type: "usage" });
    if (reply.type !== "usage") throw new Error("unexpected reply");
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    if (this.child.connected) {
      await Promise.race([this.ask({ type: "stop" }).catch(() => undefined), sleep(10_000)]);
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The client clock minus ours, from the IPC round trip with the least delay: the two processes
 * read the same system clock, so this should be ~0; it is measured rather than assumed.
 */
async function clockOffset(child: ClientProcess): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 30; i++) {
    const sent = now();
    const reply = await child.ask({ type: "clock" });
    const received = now();
    if (reply.type !== "clock") throw new Error("unexpected reply");
    if (received - sent < best.rttMs) best = { offsetMs: reply.t - (sent + received) / 2, rttMs: received - sent };
  }
  return best;
}

interface Summary {
  latencies: Float64Array;
  delivered: number;
  expected: number;
}

/** Latencies of one channel's phases (ms, sorted), from the clients' receive times. */
function summarize(
  phases: Phase[],
  publishedAt: number[],
  times: Float64Array,
  capacity: number,
  offsetMs: number,
): Summary {
  const values: number[] = [];
  let expected = 0;
  for (const phase of phases) {
    expected += phase.count * CLIENTS;
    for (let i = 0; i < CLIENTS; i++) {
      for (let k = phase.from; k < phase.from + phase.count; k++) {
        const t = times[i * capacity + k]!;
        if (!Number.isNaN(t)) values.push(t - offsetMs - publishedAt[k]!);
      }
    }
  }
  const latencies = Float64Array.from(values).sort();
  return { latencies, delivered: values.length, expected };
}

/** Per event of the phases: publish → first server send, and first → last send (ms, sorted). */
function serverSplit(phases: Phase[], publishedAt: number[]): { toFirst: Float64Array; spread: Float64Array } | null {
  const toFirst: number[] = [];
  const spread: number[] = [];
  for (const phase of phases) {
    if (phase.sends.length !== phase.count * CLIENTS) return null;
    for (let e = 0; e < phase.count; e++) {
      const first = phase.sends[e * CLIENTS]!;
      const last = phase.sends[(e + 1) * CLIENTS - 1]!;
      toFirst.push(first - publishedAt[phase.from + e]!);
      spread.push(last - first);
    }
  }
  return { toFirst: Float64Array.from(toFirst).sort(), spread: Float64Array.from(spread).sort() };
}

function report(run: {
  mode: Mode;
  phases: Phase[];
  published: Record<Channel, number[]>;
  collected: Collected;
  capacity: number;
  offset: { offsetMs: number; rttMs: number };
  payloadBytes: number;
  stats: LiveHubStats & { connections: number };
}): void {
  const { phases, published, collected, capacity, offset } = run;
  const label = (channel: Channel) => (channel === "raw" ? "raw ws broadcast" : "graphql-ws (live hub)");
  const latencyOf = (of: Phase[], channel: Channel) =>
    summarize(of, published[channel], collected[channel], capacity, offset.offsetMs);
  console.log(
    `\nlive fan-out, ${run.mode} mode: ${CLIENTS} clients per side, ${RATE} events/s, ${EVENTS} events per phase, ` +
      `phases ${phases.map((p) => p.channel).join(", ")} (${WARMUP} warm-up events each, not counted); update ${run.payloadBytes} B; ` +
      `gateway → subgraphs ${SUBGRAPH_TRANSPORT}`,
  );
  console.log(`  machine at the end: ${machineLoad()}`);
  console.log(
    `  latency: bus publish → update handed to the subscription by the client (client clock ${fmtSigned(offset.offsetMs)} ms from ours, ` +
      `measured over IPC with a ${offset.rttMs.toFixed(2)} ms round trip)`,
  );
  const summaries = {} as Record<Channel, Summary>;
  const rows: string[][] = [];
  for (const channel of ["raw", "live"] as const) {
    const s = (summaries[channel] = latencyOf(
      phases.filter((p) => p.channel === channel),
      channel,
    ));
    rows.push([
      label(channel),
      ...[0.5, 0.95, 0.99, 1].map((p) => ms(pct(s.latencies, p))),
      `${s.delivered}/${s.expected}`,
      String(s.expected - s.delivered),
    ]);
  }
  table(["", "p50 ms", "p95 ms", "p99 ms", "max ms", "delivered/expected", "drops"], rows);
  const ratio = pct(summaries.live.latencies, 0.95) / pct(summaries.raw.latencies, 0.95);
  console.log(`  live p95 / raw p95: ${ratio.toFixed(2)}× (target ≤ 1.5×)`);

  table(
    [
      "per phase",
      "events",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "drops",
      "publish late p99 ms",
      "loop delay p99/max ms",
      "server ELU",
      "server CPU/event",
      "client ELU",
    ],
    phases.map((phase) => {
      const s = latencyOf([phase], phase.channel);
      return [
        phase.channel,
        `${phase.from}–${phase.from + phase.count - 1}`,
        ...[0.5, 0.95, 0.99].map((p) => ms(pct(s.latencies, p))),
        String(s.expected - s.delivered),
        ms(pct(Float64Array.from(phase.lateMs).sort(), 0.99)),
        `${ms(phase.loopDelayP99Ms)}/${ms(phase.loopDelayMaxMs)}`,
        percent(phase.elu.utilization),
        `${(phase.cpuMs / phase.count).toFixed(1)} ms`,
        percent(phase.clientElu),
      ];
    }),
  );

  console.log(
    "  (server CPU/event: the server process's CPU time over the phase, all threads, per event; idle work such as the\n" +
      "  outbox relays' polling included. ELU: event-loop utilisation over the phase, drain included.)",
  );

  table(
    ["server side, per event", "publish → first write p50/p95 ms", `first → last of ${CLIENTS} writes p50/p95 ms`],
    (["raw", "live"] as const).map((channel) => {
      const split = serverSplit(
        phases.filter((p) => p.channel === channel),
        published[channel],
      );
      if (!split) return [label(channel), "n/a: not every event reached every socket", ""];
      return [
        label(channel),
        `${ms(pct(split.toFirst, 0.5))}/${ms(pct(split.toFirst, 0.95))}`,
        `${ms(pct(split.spread, 0.5))}/${ms(pct(split.spread, 0.95))}`,
      ];
    }),
  );

  const livePhases = phases.filter((p) => p.channel === "live");
  const hub = livePhases.reduce(
    (sum, p) => ({
      events: sum.events + (p.hub?.events ?? 0),
      executions: sum.executions + (p.hub?.executions ?? 0),
      deliveries: sum.deliveries + (p.hub?.deliveries ?? 0),
      overflows: sum.overflows + (p.hub?.overflows ?? 0),
    }),
    { events: 0, executions: 0, deliveries: 0, overflows: 0 },
  );
  const requests = Float64Array.from(livePhases.flatMap((p) => p.subgraphRequests)).sort();
  console.log(
    `  live hub in live phases: ${hub.events} events → ${hub.executions} federated executions ` +
      `(${run.stats.groups} group of ${run.stats.subscribers} subscribers on ${run.stats.connections} sockets), ` +
      `${hub.deliveries} deliveries, ${hub.overflows} overflows`,
  );
  console.log(
    SUBGRAPH_TRANSPORT === "http"
      ? `  subgraph requests over HTTP in live phases: ${requests.length} ` +
          `(${(requests.length / Math.max(1, hub.executions)).toFixed(1)} per execution), ` +
          `p50 ${ms(pct(requests, 0.5))} ms, p95 ${ms(pct(requests, 0.95))} ms`
      : `  subgraph calls: in process (BENCH_SUBGRAPH_TRANSPORT=http measures the HTTP path)`,
  );
  const failures = phases.reduce((n, p) => n + p.publishFailures, 0);
  const last = phases.at(-1)!.counts;
  const problems = [
    failures ? `${failures} publishes failed` : "",
    last.liveEnded ? `${last.liveEnded} subscriptions ended early` : "",
    last.closed ? `${last.closed} sockets closed early` : "",
    last.liveErrors.length ? `errors: ${last.liveErrors.join("; ")}` : "",
  ].filter(Boolean);
  if (problems.length) console.log(`  problems: ${problems.join(", ")}`);
  console.log(`  RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB (server process)`);
}

/**
 * How busy the machine is: its load average over a minute and, where Linux reports it, the share
 * of the last minute in which some runnable task waited for a CPU. Figures from runs on a shared
 * machine mean little without it.
 */
function machineLoad(): string {
  let pressure = "";
  try {
    const some = /some avg10=[\d.]+ avg60=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    if (some) pressure = `, tasks waiting for a CPU ${some[1]} % of the last minute`;
  } catch {
    // No pressure stall information here (not Linux, or not enabled).
  }
  return `load ${loadavg()[0]!.toFixed(2)} (1 min)${pressure}`;
}

/** Prints rows under a header, the first column left-aligned and the others right-aligned. */
function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? "").length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")}`.trimEnd();
  console.log("");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function diffStats(after: LiveHubStats, before: LiveHubStats): LiveHubStats {
  return {
    events: after.events - before.events,
    executions: after.executions - before.executions,
    deliveries: after.deliveries - before.deliveries,
    overflows: after.overflows - before.overflows,
    groups: after.groups,
    subscribers: after.subscribers,
  };
}

async function attempt(what: string, step: () => Promise<unknown> | undefined): Promise<void> {
  try {
    await step();
  } catch (error) {
    console.warn(`live-fanout cleanup: could not ${what}:`, error);
  }
}

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

const ms = (value: number) => (Number.isNaN(value) ? "–" : value.toFixed(value < 10 ? 2 : 1));
const fmtSigned = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(3)}`;
const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
