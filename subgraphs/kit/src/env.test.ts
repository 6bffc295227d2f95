import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generateSigningKeyPair } from "./audit/evidence-signing.ts";
import { EnvError, loadEnv, resolveJwtSecret } from "./env.ts";

const SECRET = "s".repeat(32);
const DATABASE_URL = "postgres://lotgraph@db.example:5432/lotgraph";

/** The problems an EnvError lists, or a failure when `fn` does not throw one. */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected loadEnv to refuse the configuration");
}

describe("loadEnv", () => {
  it("runs embedded with defaults when nothing is set", () => {
    const env = loadEnv({});
    expect(env.mode).toBe("embedded");
    expect(env.LOTGRAPH_DATA_DIR).toBe(resolve("./.lotgraph"));
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.LOTGRAPH_JWT_SECRET).toBeUndefined();
    expect(env.PORT).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    const env = loadEnv({ DATABASE_URL: "", NATS_URL: "", LOTGRAPH_DATA_DIR: "" });
    expect(env.mode).toBe("embedded");
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("switches to services mode when DATABASE_URL and a JWT secret are set", () => {
    const env = loadEnv({ DATABASE_URL, LOTGRAPH_JWT_SECRET: SECRET, NATS_URL: "nats://nats:4222", PORT: "4001" });
    expect(env.mode).toBe("services");
    expect(env.PORT).toBe(4001);
    expect(env.NATS_URL).toBe("nats://nats:4222");
  });

  it("takes an Ed25519 signing key in PEM, on one line with \\n escapes too, and refuses anything else", () => {
    const { privateKeyPem } = generateSigningKeyPair();
    expect(loadEnv({ LOTGRAPH_SIGNING_KEY: privateKeyPem }).LOTGRAPH_SIGNING_KEY).toBe(privateKeyPem);
    const oneLine = privateKeyPem.replace(/\n/g, "\\n");
    expect(loadEnv({ LOTGRAPH_SIGNING_KEY: oneLine }).LOTGRAPH_SIGNING_KEY).toBe(privateKeyPem);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" });
    for (const wrong of ["not a key", rsa.toString()])
      expect(problemsOf(() => loadEnv({ LOTGRAPH_SIGNING_KEY: wrong }))).toEqual([
        "LOTGRAPH_SIGNING_KEY: an Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`)",
      ]);
  });

  it("refuses services mode without LOTGRAPH_JWT_SECRET", () => {
    const problems = problemsOf(() => loadEnv({ DATABASE_URL }));
    expect(problems).toEqual([expect.stringMatching(/^LOTGRAPH_JWT_SECRET: is required in services mode/)]);
  });

  it("reports every problem together instead of stopping at the first", () => {
    const problems = problemsOf(() =>
      loadEnv({
        DATABASE_URL: "not a url",
        LOTGRAPH_JWT_SECRET: "short",
        LOTGRAPH_ADMIN_PASSWORD: "short",
        LOG_LEVEL: "loud",
        PORT: "70000",
        NEO4J_URI: "bolt://neo4j:7687",
      }),
    );
    const fields = problems.map((p) => p.split(":")[0]);
    expect(fields.sort()).toEqual(
      ["DATABASE_URL", "LOG_LEVEL", "LOTGRAPH_ADMIN_PASSWORD", "LOTGRAPH_JWT_SECRET", "NEO4J_PASSWORD", "PORT"].sort(),
    );
  });

  it("names the Neo4j database `neo4j` unless NEO4J_DATABASE says otherwise, and refuses a malformed name", () => {
    const neo4j = { NEO4J_URI: "bolt://neo4j:7687", NEO4J_USER: "neo4j", NEO4J_PASSWORD: "secret-password" };
    expect(loadEnv(neo4j).NEO4J_DATABASE).toBe("neo4j");
    expect(loadEnv({ ...neo4j, NEO4J_DATABASE: "genealogy" }).NEO4J_DATABASE).toBe("genealogy");
    const problems = problemsOf(() => loadEnv({ ...neo4j, NEO4J_DATABASE: "lots; DROP" }));
    expect(problems).toEqual([expect.stringMatching(/^NEO4J_DATABASE: a Neo4j database name/)]);
  });

  it("refuses NATS_URL without DATABASE_URL, since the outbox lives in PostgreSQL", () => {
    const problems = problemsOf(() => loadEnv({ NATS_URL: "nats://nats:4222" }));
    expect(problems).toEqual([expect.stringMatching(/^NATS_URL: .*DATABASE_URL/)]);
  });

  it("reports NATS_URL without DATABASE_URL together with the other problems", () => {
    const problems = problemsOf(() => loadEnv({ NATS_URL: "nats://nats:4222", PORT: "not a port" }));
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["NATS_URL", "PORT"]);
  });

  it("names every problem in the error message", () => {
    expect(() => loadEnv({ PORT: "-1", LOG_LEVEL: "loud" })).toThrow(
      /PORT: .*\n\s+LOG_LEVEL: |LOG_LEVEL: .*\n\s+PORT: /,
    );
  });
});

describe("resolveJwtSecret", () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it("uses LOTGRAPH_JWT_SECRET when it is set", async () => {
    await expect(resolveJwtSecret(loadEnv({ LOTGRAPH_JWT_SECRET: SECRET }))).resolves.toBe(SECRET);
  });

  it("generates a secret in embedded mode, keeps it in the data dir and reuses it", async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), "env-test-")), "data");
    const env = loadEnv({ LOTGRAPH_DATA_DIR: dataDir });
    const first = await resolveJwtSecret(env);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dataDir, "jwt-secret");
    expect((await readFile(file, "utf8")).trim()).toBe(first);
    // Only the owner may read it.
    expect((await stat(file)).mode & 0o077).toBe(0);
    await expect(resolveJwtSecret(env)).resolves.toBe(first);
  });

  it("hands concurrent first starts one and the same secret", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "env-test-"));
    const env = loadEnv({ LOTGRAPH_DATA_DIR: dataDir });
    const secrets = await Promise.all([resolveJwtSecret(env), resolveJwtSecret(env), resolveJwtSecret(env)]);
    expect(new Set(secrets).size).toBe(1);
  });

  it("refuses to invent a secret in services mode", async () => {
    const env = { ...loadEnv({ DATABASE_URL, LOTGRAPH_JWT_SECRET: SECRET }), LOTGRAPH_JWT_SECRET: undefined };
    await expect(resolveJwtSecret(env)).rejects.toBeInstanceOf(EnvError);
  });
});
