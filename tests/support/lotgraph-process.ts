import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dropServicesState } from "@lotgraph/kit/testing";
import type { Checksums } from "./checksums.ts";
import type { ChildMessage, ChildRequest } from "./lotgraph-child.ts";
import { TEST_MODE } from "./lotgraph.ts";

const CHILD = fileURLToPath(new URL("./lotgraph-child.ts", import.meta.url));

/** The addresses a started child answers on. */
export interface ChildLotgraph {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  admin: { email: string; password: string | null };
  startedInMs: number;
  pid: number;
}

/**
 * One Lotgraph installation (a data directory, or PostgreSQL schemas and a bus namespace, and a
 * secret) run as a child process that a test can kill and start again on the same data. The
 * child's exits are recorded: a test can check that no request ever made it exit.
 */
export class LotgraphProcess {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();
  /** Every exit of the child that the test did not ask for, as "code/signal". */
  readonly unexpectedExits: string[] = [];
  private expectingExit = false;
  current: ChildLotgraph | null = null;

  private constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly cleanupState: () => Promise<void>,
    readonly jwtSecret: string,
    /** Services mode: the PostgreSQL schemas are `<prefix>_<subgraph>`. */
    readonly schemaPrefix: string,
  ) {}

  /** A new installation in the mode this test run uses; nothing is started yet. */
  static async create(): Promise<LotgraphProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), "lotgraph-child-"));
    const unique = randomBytes(4).toString("hex");
    const jwtSecret = randomBytes(32).toString("hex");
    const env: Record<string, string | undefined> = {
      ...process.env,
      LOTGRAPH_DATA_DIR: dataDir,
      LOTGRAPH_ADMIN_PASSWORD: `admin-${unique}-password`,
      LOTGRAPH_JWT_SECRET: jwtSecret,
      LOG_LEVEL: "warn",
      LOTGRAPH_TEST_SCHEMA_PREFIX: `t${unique}`,
    };
    if (TEST_MODE === "embedded") {
      delete env.DATABASE_URL;
      delete env.NATS_URL;
      for (const name of ["NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"]) delete env[name];
    } else {
      env.LOTGRAPH_BUS_NAMESPACE = `t${unique}`;
    }
    return new LotgraphProcess(
      env,
      async () => {
        await rm(dataDir, { recursive: true, force: true });
        if (TEST_MODE === "services") await dropServicesState(`t${unique}`);
      },
      jwtSecret,
      `t${unique}`,
    );
  }

  /** Starts the child and waits until it answers; `extraEnv` is added to its environment. */
  async start(extraEnv: Record<string, string> = {}): Promise<ChildLotgraph> {
    if (this.child) throw new Error("the child is already running");
    const child = fork(CHILD, [], {
      env: { ...this.env, ...extraEnv },
      execArgv: ["--import", "tsx", "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child = child;
    const ready = new Promise<ChildLotgraph>((resolve, reject) => {
      child.on("message", (raw) => {
        const message = raw as ChildMessage;
        if (message.type === "ready") resolve({ ...message, pid: child.pid! });
        else if (message.type === "failed")
          reject(new Error(`the Lotgraph child failed to start:\n${message.message}`));
        else this.pending.get(message.id)?.(message.value);
      });
      child.once("exit", (code, signal) => {
        if (!this.expectingExit) this.unexpectedExits.push(`${code}/${signal}`);
        this.child = null;
        this.current = null;
        reject(new Error(`the Lotgraph child exited (${code}/${signal}) before it was ready`));
      });
    });
    this.current = await ready;
    this.expectingExit = false;
    return this.current;
  }

  /** SIGKILL: no shutdown hook runs, in-flight transactions are cut where they are. */
  async kill(): Promise<void> {
    await this.endWith(() => this.child?.kill("SIGKILL"));
  }

  /** A clean stop (the child closes its servers, consumers and databases). */
  async stop(): Promise<void> {
    await this.endWith(() => void this.ask({ type: "stop" }).catch(() => undefined));
  }

  /** The child's databases' checksums (see checksums.ts). */
  checksums(): Promise<Checksums> {
    return this.ask({ type: "checksums" }) as Promise<Checksums>;
  }

  /** Rows of a query run by the child on one subgraph's database (embedded PGlite included). */
  async sql<T = Record<string, unknown>>(subgraph: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const rows = (await this.ask({ type: "sql", subgraph, sql, params })) as T[] | { error: string };
    if (!Array.isArray(rows)) throw new Error(`${subgraph}: ${rows.error}\n${sql}`);
    return rows;
  }

  /** The child's resident memory in bytes, after a full garbage collection. */
  residentBytes(): Promise<number> {
    return this.ask({ type: "memory" }) as Promise<number>;
  }

  /** Stops whatever runs and removes the installation's data. */
  async cleanup(): Promise<void> {
    if (this.child) await this.stop();
    await this.cleanupState();
  }

  private async endWith(signal: () => void): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signal();
    await exited;
  }

  private ask(request: DistributiveOmit<ChildRequest, "id">): Promise<unknown> {
    const child = this.child;
    if (!child) return Promise.reject(new Error("the child is not running"));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (value) => {
        this.pending.delete(id);
        resolve(value);
      });
      child.send({ ...request, id } as ChildRequest);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
