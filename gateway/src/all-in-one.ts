import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createIdentitySubgraph } from "@lotgraph/identity";
import { createInventorySubgraph } from "@lotgraph/inventory";
import {
  SUBGRAPH_PORTS,
  TokenService,
  createEventBus,
  createLogger,
  databaseTarget,
  loadEnv,
  resolveJwtSecret,
  serve,
  type EventBus,
  type Logger,
  type LotgraphEnv,
  type RunningServer,
  type SqlDriver,
  type SubgraphApp,
  type SubgraphDeps,
  type SubgraphFactory,
  type SubgraphName,
} from "@lotgraph/kit";
import { createProductionSubgraph } from "@lotgraph/production";
import { createQualitySubgraph } from "@lotgraph/quality";
import { createTraceabilitySubgraph } from "@lotgraph/traceability";
import type { LiveHubStats } from "./live/live-hub.ts";
import type { InProcessSubgraph } from "./in-process-subgraph.ts";
import { createGateway } from "./server.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface StartOptions {
  /** Environment to read (defaults to process.env); `DATABASE_URL`/`NATS_URL` select services mode. */
  env?: Record<string, string | undefined>;
  /** Overrides LOTGRAPH_DATA_DIR (embedded mode). */
  dataDir?: string;
  /** 0 picks free ports (tests). Defaults: gateway PORT or 4000, web 3000, subgraphs as below. */
  gatewayPort?: number;
  webPort?: number;
  /**
   * Where the subgraphs listen (on loopback): free ports the system picks, the defaults 4001–4005,
   * or five ports from a first one. Default: LOTGRAPH_SUBGRAPH_PORTS, else 4001–4005.
   */
  subgraphPorts?: "default" | "ephemeral" | { first: number };
  /** Also serve the Next.js app. */
  web?: boolean;
  /**
   * How the gateway reaches the subgraphs: through their handlers in this process (default), or
   * over HTTP as separate processes do (tests keep that path covered).
   */
  subgraphTransport?: "in-process" | "http";
  /** Services mode only: isolates the run in schemas `<prefix>_<subgraph>` (tests). */
  schemaPrefix?: string;
  /**
   * Tests only: the bus one subgraph sees instead of the shared one (a wrapper over it), to inject
   * faults into that subgraph's consumers, e.g. pause traceability's projection.
   */
  busFor?: (subgraph: SubgraphName, bus: EventBus) => EventBus;
  quiet?: boolean;
}

export interface RunningLotgraph {
  gatewayUrl: string;
  webUrl: string | null;
  admin: { email: string; password: string | null };
  subgraphUrls: Record<SubgraphName, string>;
  /** Each subgraph's own database, for operations tools and tests. */
  databases: Record<SubgraphName, SqlDriver>;
  env: LotgraphEnv;
  /** The bus every service of this process shares (operations tools and benchmarks). */
  bus: EventBus;
  /** What the gateway's live layer is doing (subscribers, events, executions). */
  liveStats(): LiveHubStats & { connections: number; streams: number };
  stop(): Promise<void>;
}

const FACTORIES: Record<SubgraphName, SubgraphFactory> = {
  identity: createIdentitySubgraph,
  inventory: createInventorySubgraph,
  production: createProductionSubgraph,
  quality: createQualitySubgraph,
  traceability: createTraceabilitySubgraph,
};

/**
 * Starts the whole system in one process: every subgraph on its own HTTP server, one shared bus,
 * and the gateway. Embedded mode by default (PGlite + in-process bus); with DATABASE_URL and
 * NATS_URL the same code runs against PostgreSQL and JetStream.
 */
export async function startLotgraph(options: StartOptions = {}): Promise<RunningLotgraph> {
  const source: Record<string, string | undefined> = {
    ...(options.env ?? process.env),
    ...(options.dataDir ? { LOTGRAPH_DATA_DIR: options.dataDir } : {}),
  };
  const env = loadEnv(source);
  const logger = createLogger(options.quiet ? "warn" : env.LOG_LEVEL, "lotgraph");
  const tokens = new TokenService(await resolveJwtSecret(env));
  const bus = await createEventBus({
    natsUrl: env.NATS_URL,
    logger,
    name: "lotgraph-all-in-one",
    namespace: env.LOTGRAPH_BUS_NAMESPACE,
    startupTimeoutSeconds: env.LOTGRAPH_STARTUP_TIMEOUT_SECONDS,
  });

  const apps: SubgraphApp[] = [];
  const servers: RunningServer[] = [];
  const stopAll = async () => {
    for (const server of servers.reverse()) await server.close(2_000);
    for (const app of apps.reverse()) await app.close();
    await bus.close();
  };

  try {
    const subgraphUrls = {} as Record<SubgraphName, string>;
    let identity: Awaited<ReturnType<typeof createIdentitySubgraph>> | null = null;
    for (const name of Object.keys(FACTORIES) as SubgraphName[]) {
      const deps: SubgraphDeps = {
        env,
        logger: logger.child({ service: name }),
        bus: options.busFor?.(name, bus) ?? bus,
        tokens,
        database: databaseTarget(env, name, options.schemaPrefix),
        // Resolved at call time: a peer started later has no port yet when this one is built.
        peerUrl: (peer) => {
          const url = subgraphUrls[peer];
          if (!url) throw new Error(`subgraph ${peer} is not running`);
          return url;
        },
      };
      const app = name === "identity" ? (identity = await createIdentitySubgraph(deps)) : await FACTORIES[name](deps);
      apps.push(app);
      const server = await serve({
        name,
        port: subgraphPort(options.subgraphPorts ?? env.LOTGRAPH_SUBGRAPH_PORTS, name),
        portVariable: "LOTGRAPH_SUBGRAPH_PORTS",
        host: "127.0.0.1",
        logger: deps.logger,
        handler: app.handler,
        readiness: app.readiness,
        routes: app.routes,
      });
      servers.push(server);
      subgraphUrls[name] = `http://127.0.0.1:${server.port}/graphql`;
    }
    const admin = await identity!.identity.ensureFirstAdmin(env.LOTGRAPH_ADMIN_PASSWORD);

    const gateway = await createGateway({
      subgraphUrls,
      // Every subgraph runs in this process: the gateway calls their handlers without a socket.
      ...(options.subgraphTransport !== "http" && {
        inProcessSubgraphs: Object.fromEntries(
          apps.map((app): [string, InProcessSubgraph] => [app.name, inProcessSubgraph(app)]),
        ),
      }),
      jwtSecret: await resolveJwtSecret(env),
      logger: logger.child({ service: "gateway" }),
      bus,
      ...(env.LOTGRAPH_REPLICA_ID ? { replicaId: env.LOTGRAPH_REPLICA_ID } : {}),
    });
    const gatewayServer = await serve({
      name: "gateway",
      port: options.gatewayPort ?? env.PORT ?? 4000,
      logger,
      handler: gateway.yoga,
      readiness: gateway.readiness,
      routes: gateway.exportRoutes,
    });
    servers.push(gatewayServer);
    gateway.attachLiveSockets(gatewayServer.server);
    const gatewayUrl = `http://localhost:${gatewayServer.port}/graphql`;

    let web: ChildProcess | null = null;
    let webUrl: string | null = null;
    if (options.web) {
      ({ web, webUrl } = await startWeb(
        gatewayUrl,
        options.webPort ?? Number(source.WEB_PORT ?? 3000),
        source.WEB_HOST || "0.0.0.0",
        logger,
      ));
    }

    return {
      gatewayUrl,
      webUrl,
      admin: {
        email: "admin@lotgraph.local",
        password: admin?.generatedPassword ?? env.LOTGRAPH_ADMIN_PASSWORD ?? null,
      },
      subgraphUrls,
      databases: Object.fromEntries(apps.map((app) => [app.name, app.sql])) as Record<SubgraphName, SqlDriver>,
      env,
      bus,
      liveStats: () => gateway.liveStats(),
      async stop() {
        web?.kill("SIGTERM");
        await gateway.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The port of one subgraph, from the option or LOTGRAPH_SUBGRAPH_PORTS ("ephemeral" or a first port). */
function subgraphPort(choice: StartOptions["subgraphPorts"] | string | undefined, name: SubgraphName): number {
  if (choice === "ephemeral") return 0;
  const order = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];
  if (typeof choice === "object") return choice.first + order.indexOf(name);
  if (typeof choice === "string" && choice !== "default") return Number(choice) + order.indexOf(name);
  return SUBGRAPH_PORTS[name];
}

/**
 * Serves the web app's production build, building it first when there is none (`npm run dev -w
 * @lotgraph/web` is the development server). It listens on `host` (all interfaces by default, so
 * tablets and displays on the plant's network reach it); the browser then calls the gateway by
 * the same host name (web/src/lib/gateway-url.ts).
 */
async function startWeb(
  gatewayUrl: string,
  port: number,
  host: string,
  logger: Logger,
): Promise<{ web: ChildProcess; webUrl: string }> {
  const webDir = join(REPO_ROOT, "web");
  const nextBin = join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
  const env = {
    ...process.env,
    LOTGRAPH_GATEWAY_URL: gatewayUrl,
    NEXT_PUBLIC_GATEWAY_URL: gatewayUrl,
    GATEWAY_URL: gatewayUrl,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
    logger.info("building the web app (first start only; about a minute)");
    const build = spawn(process.execPath, [nextBin, "build"], {
      cwd: webDir,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let errors = "";
    build.stderr?.on("data", (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
    const code = await new Promise<number | null>((resolve) => build.once("exit", resolve));
    if (code !== 0) throw new Error(`building the web app failed (exit ${code}):\n${errors}`);
  }
  const actualPort = port === 0 ? await freePort() : port;
  const web = spawn(process.execPath, [nextBin, "start", "-p", String(actualPort), "-H", host], {
    cwd: webDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const webUrl = `http://127.0.0.1:${actualPort}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (web.exitCode !== null) throw new Error(`the web app exited with code ${web.exitCode}`);
    const ok = await fetch(`${webUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { web, webUrl };
    await new Promise((r) => setTimeout(r, 500));
  }
  web.kill("SIGTERM");
  throw new Error("the web app did not start within 120 s");
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A subgraph's handler is its yoga instance, whose envelop the gateway can run in process. */
function inProcessSubgraph(app: SubgraphApp): InProcessSubgraph {
  if (!("getEnveloped" in app.handler)) throw new Error(`subgraph ${app.name}: its handler is not a yoga instance`);
  return app.handler as unknown as InProcessSubgraph;
}
