import { randomBytes } from "node:crypto";
import pg from "pg";
import { dropServicesState } from "@lotgraph/kit/testing";
import {
  SUBGRAPHS,
  allInOneCommand,
  benchScriptCommand,
  buildBundles,
  freePort,
  launch,
  serviceCommand,
  waitReady,
  type Launched,
} from "./gateways-processes.ts";

export const ADMIN_PASSWORD = "bench-admin-password";

/** One services-mode installation of this run: its database, bus namespace, secret and processes' env. */
export interface Installation {
  databaseUrl: string;
  namespace: string;
  secret: string;
  env: Record<string, string | undefined>;
  subgraphs: Launched[];
  gateway: Launched;
  gatewayUrl: string;
  dispose(): Promise<void>;
}

/**
 * Starts the five subgraphs and Lotgraph's gateway as processes of their own, as in production.
 * A subgraph process has no schema prefix of its own (it always uses `lotgraph_<subgraph>`), so
 * the run gets a database of its own, dropped at the end with its JetStream stream: nothing the
 * run writes meets anyone else's data, and two runs can go side by side.
 */
export async function startInstallation(baseDatabaseUrl: string, natsUrl: string): Promise<Installation> {
  await buildBundles();
  const unique = randomBytes(4).toString("hex");
  const database = `bench_gw_${unique}`;
  await adminQuery(baseDatabaseUrl, `CREATE DATABASE ${database}`);
  const url = new URL(baseDatabaseUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const namespace = `bgw${unique}`;
  const secret = randomBytes(32).toString("hex");
  const dispose = async () => {
    await dropServicesState(namespace, { databaseUrl, natsUrl }).catch(() => undefined);
    await adminQuery(baseDatabaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  };
  try {
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      LOTGRAPH_JWT_SECRET: secret,
      LOTGRAPH_BUS_NAMESPACE: namespace,
      LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOTGRAPH_SUBGRAPH_PORTS: undefined,
      NEO4J_URI: undefined,
      LOG_LEVEL: "warn",
    };
    const ports: Record<string, number> = {};
    for (const name of SUBGRAPHS) {
      ports[name] = await freePort();
      env[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${ports[name]}/graphql`;
    }
    // Identity first, as in the all-in-one: it makes the first admin the others may look up.
    const subgraphs: Launched[] = [];
    for (const group of [["identity"], SUBGRAPHS.filter((n) => n !== "identity")] as const) {
      const started = group.map((name) => launch(name, serviceCommand(name), { ...env, PORT: String(ports[name]) }));
      await Promise.all(started.map((s, i) => waitReady(s, `http://127.0.0.1:${ports[group[i]!]}/readyz`)));
      subgraphs.push(...started);
    }
    const gatewayPort = await freePort();
    // BENCH_GATEWAY_CPU_PROF=<dir>: V8 profile of Lotgraph's gateway process, written when it stops.
    const profile = process.env.BENCH_GATEWAY_CPU_PROF;
    const profiling = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
    const gateway = launch("gateway", [...profiling, ...serviceCommand("gateway")], {
      ...env,
      PORT: String(gatewayPort),
      LOTGRAPH_REPLICA_ID: `bench-gateway-${unique}`,
    });
    await waitReady(gateway, `http://127.0.0.1:${gatewayPort}/readyz`);
    return {
      databaseUrl,
      namespace,
      secret,
      env,
      subgraphs,
      gateway,
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      dispose,
    };
  } catch (error) {
    await dispose().catch(() => undefined);
    throw error;
  }
}

/** A bench script as a process that says over IPC when it is ready, with its URL if it chose it. */
export async function startReporting(
  name: string,
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ launched: Launched; url: string | null }> {
  const launched = launch(name, [...(await benchScriptCommand(file)), ...args], env, true);
  const message = await new Promise<{ type: string; url?: string; message?: string }>((resolve) => {
    launched.child.once("message", (m) => resolve(m as { type: string }));
    launched.child.once("exit", (code) =>
      resolve({
        type: "failed",
        message: `exited with ${code}: ${launched.stderrTail().split("\n").slice(-3).join(" ")}`,
      }),
    );
  });
  if (message.type !== "ready") throw new Error(message.message ?? "failed to start");
  return { launched, url: message.url ?? null };
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The all-in-one process, as `npm start` runs it (the launcher's bundle, without the web app), in
 * services mode on the installation's database and bus namespace: it answers from the same plant.
 */
export async function startAllInOne(installation: Installation, port: number): Promise<Launched> {
  const launched = launch("Lotgraph all-in-one", allInOneCommand(), {
    ...installation.env,
    PORT: String(port),
    LOTGRAPH_SUBGRAPH_PORTS: "ephemeral",
    LOTGRAPH_REPLICA_ID: `bench-all-in-one-${installation.namespace}`,
  });
  await waitReady(launched, `http://127.0.0.1:${port}/readyz`);
  return launched;
}
