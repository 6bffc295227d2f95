import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropServicesState } from "@lotgraph/kit/testing";
import { startLotgraph, type RunningLotgraph, type StartOptions } from "@lotgraph/lotgraph";

export type TestMode = "embedded" | "services";

/** The mode this run tests: services when DATABASE_URL and NATS_URL are both set. */
export const TEST_MODE: TestMode = process.env.DATABASE_URL && process.env.NATS_URL ? "services" : "embedded";

/**
 * Starts the whole system for one test file, isolated: its own data directory (embedded) or
 * its own PostgreSQL schemas and bus namespace (services), and free ports.
 */
export async function startTestLotgraph(
  options: {
    web?: boolean;
    subgraphTransport?: "in-process" | "http";
    busFor?: StartOptions["busFor"];
    /** Settings of this stack's own (rate limits, refresh intervals) over the run's environment. */
    env?: Record<string, string>;
    /** Start on data already there (a restored backup): this data directory (embedded) … */
    dataDir?: string;
    /** … or these schemas, `<schemaPrefix>_<subgraph>` (services). Both are removed by cleanup. */
    schemaPrefix?: string;
  } = {},
): Promise<RunningLotgraph & { dataDir: string; schemaPrefix: string; cleanup(): Promise<void> }> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "lotgraph-test-")));
  const unique = randomBytes(4).toString("hex");
  const schemaPrefix = options.schemaPrefix ?? `t${unique}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOTGRAPH_DATA_DIR: dataDir,
    LOTGRAPH_ADMIN_PASSWORD: `admin-${unique}-password`,
    LOG_LEVEL: "warn",
    ...options.env,
  };
  if (TEST_MODE === "embedded") {
    delete env.DATABASE_URL;
    delete env.NATS_URL;
    for (const name of ["NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"]) delete env[name];
  } else {
    env.LOTGRAPH_JWT_SECRET = randomBytes(32).toString("hex");
    env.LOTGRAPH_BUS_NAMESPACE = schemaPrefix;
  }
  const lotgraph = await startLotgraph({
    env,
    gatewayPort: 0,
    webPort: 0,
    subgraphPorts: "ephemeral",
    web: options.web ?? false,
    ...(options.subgraphTransport && { subgraphTransport: options.subgraphTransport }),
    ...(options.busFor && { busFor: options.busFor }),
    schemaPrefix,
    quiet: true,
  });
  return {
    ...lotgraph,
    dataDir,
    schemaPrefix,
    async cleanup() {
      await lotgraph.stop();
      await rm(dataDir, { recursive: true, force: true });
      if (TEST_MODE === "services") await dropServicesState(schemaPrefix);
    },
  };
}

/**
 * A supplier lot code no other suite of this run uses. In services mode every suite's stack
 * shares the run's one Neo4j database (docs/decisions/0014), and a lookup by supplier lot code
 * there finds every suite's lots of that code: a suite that looks up by code needs its own.
 */
export function supplierLotCodeOfThisSuite(base: string): string {
  return `${base}-${randomBytes(3).toString("hex")}`;
}
