import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLotgraph, type RunningLotgraph } from "@lotgraph/lotgraph";
import { client, creator } from "./gateway-client.ts";

export type Mode = "embedded" | "services";

const ADMIN_PASSWORD = "bench-admin-password";

/**
 * The modes `BENCH_MODES` asks for (default both) that this machine can run: services needs
 * DATABASE_URL and NATS_URL, and is left out with a line saying so.
 */
export function benchModes(): Mode[] {
  const wanted = (process.env.BENCH_MODES ?? "embedded,services").split(",");
  const modes: Mode[] = [];
  if (wanted.includes("embedded")) modes.push("embedded");
  if (wanted.includes("services")) {
    if (process.env.DATABASE_URL && process.env.NATS_URL) modes.push("services");
    else console.log("services mode skipped: set DATABASE_URL and NATS_URL to measure it");
  }
  return modes;
}

/** A started all-in-one stack of one mode, signed in as its first admin. */
export interface BenchStack {
  lotgraph: RunningLotgraph;
  gql: ReturnType<typeof client>;
  token: string;
  /** Runs a create-style mutation as the admin and returns the new entity's id. */
  id: ReturnType<typeof creator>;
  stop(): Promise<void>;
}

/**
 * Where a stack keeps its data when it is to outlive the run (a seeded plant): that data
 * directory (embedded) or those schemas (services, `<schemaPrefix>_<subgraph>`), left in place
 * by `stop()`.
 */
export interface KeptData {
  dataDir: string;
  schemaPrefix: string;
}

/**
 * Starts the whole system in `mode` on its own data directory (embedded) or its own schemas and
 * bus namespace (services), on free ports, with `env` over this process's environment; on `kept`
 * data instead of fresh data when it is given.
 */
export async function startBenchStack(
  mode: Mode,
  env: Record<string, string> = {},
  kept?: KeptData,
): Promise<BenchStack> {
  const dataDir = kept?.dataDir ?? (await mkdtemp(join(tmpdir(), "lotgraph-bench-")));
  const unique = randomBytes(4).toString("hex");
  const stackEnv: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: "warn",
    LOTGRAPH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...env,
  };
  if (mode === "embedded") {
    delete stackEnv.DATABASE_URL;
    delete stackEnv.NATS_URL;
  } else {
    stackEnv.LOTGRAPH_JWT_SECRET = randomBytes(32).toString("hex");
    stackEnv.LOTGRAPH_BUS_NAMESPACE = `bench${unique}`;
  }
  const lotgraph = await startLotgraph({
    env: stackEnv,
    dataDir,
    gatewayPort: 0,
    subgraphPorts: "ephemeral",
    schemaPrefix: kept?.schemaPrefix ?? `bench${unique}`,
    quiet: true,
  });
  const stop = async () => {
    await lotgraph.stop();
    if (!kept) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const gql = client(lotgraph.gatewayUrl);
    const { login } = await gql<{ login: { token: string } }>(
      null,
      `mutation ($i: LoginInput!) { login(input: $i) { token } }`,
      { i: { email: lotgraph.admin.email, password: ADMIN_PASSWORD } },
    );
    return { lotgraph, gql, token: login.token, id: creator(gql, login.token), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
