import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort } from "@lotgraph/lotgraph/free-port";

const run = promisify(execFile);
const LAUNCHER = fileURLToPath(new URL("../../infra/neo4j-dev/", import.meta.url));

/**
 * A Neo4j server of the test's own, from infra/neo4j-dev, for tests that stop the server or empty
 * the whole graph: they cannot share the run's server (NEO4J_URI) with suites running beside them.
 * Its own port and directory; `stop` then `start` keeps the data, as a restarted server would.
 */
/** JVM heap and page cache of a launched server; a test's small graph needs little. */
export interface Neo4jMemory {
  heap: string;
  pageCacheMb: number;
}

export class Neo4jDevServer {
  private constructor(
    private readonly port: number,
    private readonly dir: string,
    private readonly memory: Neo4jMemory,
  ) {}

  /** Bolt address; auth is off, so any credentials are accepted. */
  get uri(): string {
    return `bolt://127.0.0.1:${this.port}`;
  }

  /** The settings a Lotgraph process needs to put its genealogy on this server. */
  get env(): Record<string, string> {
    return { NEO4J_URI: this.uri, NEO4J_USER: "neo4j", NEO4J_PASSWORD: "auth-is-off", NEO4J_DATABASE: "neo4j" };
  }

  static async launch(memory: Neo4jMemory = { heap: "512m", pageCacheMb: 64 }): Promise<Neo4jDevServer> {
    const dir = await mkdtemp(join(tmpdir(), "lotgraph-neo4j-test-"));
    const server = new Neo4jDevServer(await freePort(), dir, memory);
    server.readyLine = await server.start({ keepData: false });
    return server;
  }

  /** Starts it (again); resolves once the default database answers, with its ready line. */
  async start(options: { keepData: boolean } = { keepData: true }): Promise<string> {
    const { stderr } = await run("bash", [join(LAUNCHER, "start.sh")], {
      env: {
        ...this.#env(),
        NEO4J_DEV_KEEP_DATA: options.keepData ? "1" : "0",
        NEO4J_DEV_HEAP: this.memory.heap,
        NEO4J_DEV_PAGECACHE_MB: String(this.memory.pageCacheMb),
      },
      timeout: 180_000,
    });
    return stderr.split("\n").find((line) => line.startsWith("NEO4J READY")) ?? "";
  }

  /** The ready line of the last start: start time and memory, as the launcher printed them. */
  readyLine = "";

  /** A clean shutdown (SIGTERM), as an operator's restart would do. */
  async stop(): Promise<void> {
    await run("bash", [join(LAUNCHER, "stop.sh")], { env: this.#env(), timeout: 60_000 });
  }

  /** The server's process id while it runs (from the launcher's pid file). */
  async pid(): Promise<number | null> {
    const text = await readFile(join(this.dir, "neo4j.pid"), "utf8").catch(() => "");
    return Number(text.trim()) || null;
  }

  /** Stops it and deletes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  #env(): NodeJS.ProcessEnv {
    return { ...process.env, NEO4J_DEV_PORT: String(this.port), NEO4J_DEV_DIR: this.dir };
  }
}
