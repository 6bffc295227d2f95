import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { signingKeyPairOf } from "./audit/evidence-signing.ts";
import { privateDataDir } from "./data-dir.ts";

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  NATS_URL: z.string().min(1).optional(),
  NEO4J_URI: z.string().min(1).optional(),
  NEO4J_USER: z.string().min(1).optional(),
  NEO4J_PASSWORD: z.string().min(1).optional(),
  /** The Neo4j database holding the genealogy; Neo4j's default database when unset. */
  NEO4J_DATABASE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9.-]{2,62}$/, "a Neo4j database name: a letter, then letters, digits, '.' or '-'")
    .default("neo4j"),
  LOTGRAPH_DATA_DIR: z.string().min(1).default("./.lotgraph"),
  LOTGRAPH_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOTGRAPH_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  LOTGRAPH_BUS_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, "lower-case letters, digits and _, starting with a letter")
    .default("lotgraph"),
  /**
   * Names this process among replicas of one service; the gateway's live layer keys its durable
   * bus consumer on it, so a restarted replica resumes its stream. Default: the host name (a
   * Kubernetes pod keeps its name across container restarts).
   */
  LOTGRAPH_REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "letters, digits, '.', '_' and '-', up to 63 characters")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * The address a subgraph running as its own process listens on. Loopback by default: only the
   * gateway (and the other services) should reach a subgraph, and on one host they do through
   * loopback; containers set 0.0.0.0 and rely on the network policy (infra/k8s).
   */
  LOTGRAPH_LISTEN_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * The port of the Prometheus `/metrics` server, apart from the API's (docs/operations.md).
   * Unset: no metrics server at all; 0: a free port (tests).
   */
  LOTGRAPH_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * Where the metrics server listens. Loopback by default: metrics name operations and show
   * traffic to whoever reaches the port, which no token guards; a container sets 0.0.0.0.
   */
  LOTGRAPH_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * Where the all-in-one process puts its subgraphs: "ephemeral" (free ports the system picks, so
   * two installations run side by side) or the first of five consecutive ports. Default 4001.
   */
  LOTGRAPH_SUBGRAPH_PORTS: z
    .string()
    .regex(/^(ephemeral|\d{1,5})$/, 'either "ephemeral" or a port number (the first of five)')
    .refine((v) => v === "ephemeral" || Number(v) <= 65_531, "the five ports must end below 65536")
    .optional(),
  /**
   * How long a start waits for PostgreSQL and NATS to answer, retrying with back-off, before it
   * gives up and says which one and why. Containers often start before their database does.
   */
  LOTGRAPH_STARTUP_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  /**
   * How often each process fetches identity's credential list again (docs/decisions/0019): a
   * deactivated person, a revoked or rotated token, or changed roles take effect everywhere
   * within this plus one fetch. Identity's own process applies its changes at once.
   */
  LOTGRAPH_CREDENTIAL_REFRESH_SECONDS: z.coerce.number().min(0.1).max(300).default(10),
  /**
   * Webhooks (traceability): attempts before a delivery goes to dead letter (15: about a day), the first retry's
   * delay (each next one doubles it, at most 6 hours), and how long one attempt may take.
   */
  LOTGRAPH_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(15),
  LOTGRAPH_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
  LOTGRAPH_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Whether a webhook may post to this host's loopback addresses (a receiver on the same machine,
   * in development). Link-local addresses (cloud metadata) are refused whatever this says.
   */
  LOTGRAPH_WEBHOOK_ALLOW_LOOPBACK: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /**
   * The Ed25519 private key (PKCS #8 PEM) that signs recall evidence bundles
   * (docs/evidence-bundle.md). Without it, traceability makes a key on first use and keeps it in
   * its database. `\n` escapes read as line breaks, for env files of one line per variable.
   */
  LOTGRAPH_SIGNING_KEY: z
    .string()
    .transform((value) => value.replace(/\\n/g, "\n"))
    .refine(isSigningKey, "an Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`)")
    .optional(),
  /** Requests and subscriptions a minute per signed-in caller at the gateway; 0 turns it off. */
  LOTGRAPH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(3_000),
  /** Requests a minute per network address without a token (sign-in); 0 turns it off. */
  LOTGRAPH_RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** `production` turns the gateway's edge to its strict defaults (introspection, the IDE). */
  NODE_ENV: z.string().optional(),
  /** Who may introspect the schema at the gateway; default: everyone, admins in production. */
  LOTGRAPH_INTROSPECTION: z.enum(["everyone", "admins"]).optional(),
  /** GraphiQL at the gateway: on, or off; default on, off in production. */
  LOTGRAPH_GRAPHQL_IDE: z
    .enum(["on", "off"])
    .transform((value) => value === "on")
    .optional(),
  /**
   * Origins (comma-separated, `https://erp.example.com`) whose pages may call the gateway from a
   * browser, beside pages served from the gateway's own host name (the web app).
   */
  LOTGRAPH_CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url("each origin as scheme://host[:port]")))
    .optional(),
});

export type RawEnv = z.infer<typeof envSchema>;

/**
 * Rules across variables, checked on the raw values and not in a zod refinement: zod skips
 * refinements of an object with any invalid field, which would hide these problems.
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.DATABASE_URL && !env.LOTGRAPH_JWT_SECRET) {
    problems.push(
      "LOTGRAPH_JWT_SECRET: is required in services mode (DATABASE_URL is set); generate one with `openssl rand -hex 32`",
    );
  }
  if (env.NEO4J_URI && (!env.NEO4J_USER || !env.NEO4J_PASSWORD)) {
    problems.push("NEO4J_PASSWORD: NEO4J_USER and NEO4J_PASSWORD are required with NEO4J_URI");
  }
  if (env.NATS_URL && !env.DATABASE_URL) {
    problems.push("NATS_URL: services mode also needs DATABASE_URL (the outbox lives in PostgreSQL)");
  }
  return problems;
}

export interface LotgraphEnv extends RawEnv {
  /** `services` when DATABASE_URL is set (PostgreSQL + NATS), otherwise `embedded`. */
  mode: "embedded" | "services";
  LOTGRAPH_DATA_DIR: string;
}

/** Thrown by {@link loadEnv} with every problem listed at once. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "EnvError";
  }
}

/**
 * Validates configuration once, from any source (tests pass a plain object). Reports every
 * problem together instead of failing on the first.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): LotgraphEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`)),
    ...crossFieldProblems(cleaned),
  ];
  if (!parsed.success || problems.length > 0) throw new EnvError(problems);
  const env = parsed.data;
  return {
    ...env,
    LOTGRAPH_DATA_DIR: resolve(env.LOTGRAPH_DATA_DIR),
    mode: env.DATABASE_URL ? "services" : "embedded",
  };
}

/** The file in an embedded data directory that keeps its JWT secret (made on first start). */
export const JWT_SECRET_FILE = "jwt-secret";

/**
 * The JWT secret: from the environment, or in embedded mode a random one kept in the data
 * directory so tokens survive restarts. Never a built-in default.
 */
export async function resolveJwtSecret(env: LotgraphEnv): Promise<string> {
  if (env.LOTGRAPH_JWT_SECRET) return env.LOTGRAPH_JWT_SECRET;
  if (env.mode === "services") throw new EnvError(["LOTGRAPH_JWT_SECRET: required in services mode"]);
  const file = join(env.LOTGRAPH_DATA_DIR, JWT_SECRET_FILE);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    await privateDataDir(env.LOTGRAPH_DATA_DIR);
    const secret = randomBytes(32).toString("hex");
    await writeFile(file, secret, { mode: 0o600, flag: "wx" }).catch(async () => undefined);
    return (await readFile(file, "utf8")).trim();
  }
}

function isSigningKey(pem: string): boolean {
  try {
    signingKeyPairOf(pem);
    return true;
  } catch {
    return false;
  }
}
