import { randomBytes, randomUUID } from "node:crypto";
import {
  InProcessBus,
  TokenService,
  createLogger,
  loadEnv,
  serve,
  type DatabaseTarget,
  type Role,
  type RunningServer,
  type SqlDriver,
  type SubgraphApp,
  type SubgraphDeps,
  type SubgraphName,
} from "@lotgraph/kit";
import { createInventorySubgraph } from "@lotgraph/inventory";
import { createQualitySubgraph } from "@lotgraph/quality";
import { dropSchemas, viaGateway } from "@lotgraph/kit/testing";
import { createProductionSubgraph } from "../src/server.ts";

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

const DATABASE_URL = process.env.DATABASE_URL;

type App = "production" | "inventory" | "quality";

/**
 * Production against REAL inventory and quality subgraphs: all three listen on free ports (they
 * call each other over HTTP with a service token, as in either runtime mode); tests call them in
 * process. All on in-memory PGlite, or on throwaway PostgreSQL schemas when DATABASE_URL is set.
 */
export class Plant {
  private constructor(
    readonly production: SubgraphApp,
    readonly inventory: SubgraphApp,
    readonly quality: SubgraphApp,
    private readonly servers: RunningServer[],
    private readonly urls: Map<SubgraphName, string>,
    readonly tokens: TokenService,
    private readonly schemaPrefix: string,
  ) {}

  static async start(): Promise<Plant> {
    const tokens = new TokenService(randomBytes(32).toString("hex"));
    const bus = new InProcessBus();
    const logger = createLogger("silent", "production-test");
    const prefix = `t${randomBytes(4).toString("hex")}`;
    const target = (name: string): DatabaseTarget =>
      DATABASE_URL
        ? { kind: "postgres", url: DATABASE_URL, schema: `${prefix}_${name}` }
        : { kind: "pglite", dataDir: null };
    const urls = new Map<SubgraphName, string>();
    const peerUrl = (peer: SubgraphName): string => {
      const url = urls.get(peer);
      if (!url) throw new Error(`no ${peer} subgraph in this test`);
      return url;
    };
    const deps = (name: string): SubgraphDeps => ({
      env: loadEnv({}),
      logger,
      bus,
      tokens,
      database: target(name),
      peerUrl,
    });
    const inventory = await createInventorySubgraph(deps("inventory"));
    const quality = await createQualitySubgraph(deps("quality"));
    const servers: RunningServer[] = [];
    for (const app of [inventory, quality]) {
      const server = await serve({ name: app.name, port: 0, logger, handler: app.handler });
      servers.push(server);
      urls.set(app.name === "inventory" ? "inventory" : "quality", server.url);
    }
    const production = await createProductionSubgraph(deps("production"));
    // Quality asks production about runs (a decision's run, its outputs' recorders, a line's outputs).
    const productionServer = await serve({ name: "production", port: 0, logger, handler: production.handler });
    servers.push(productionServer);
    urls.set("production", productionServer.url);
    return new Plant(production, inventory, quality, servers, urls, tokens, prefix);
  }

  async stop(): Promise<void> {
    await this.production.close();
    for (const server of this.servers) await server.close(100);
    await this.inventory.close();
    await this.quality.close();
    if (DATABASE_URL) await dropSchemas(this.schemaPrefix, DATABASE_URL);
  }

  /** Runs `fn` while production's calls to `peer` go to `url` (e.g. nothing listening there). */
  async withPeerAt<T>(peer: SubgraphName, url: string, fn: () => Promise<T>): Promise<T> {
    const original = this.urls.get(peer);
    this.urls.set(peer, url);
    try {
      return await fn();
    } finally {
      if (original) this.urls.set(peer, original);
    }
  }

  /** A signed-in person holding `roles`. */
  token(roles: Role[], name = `${roles.join("+")} person`): Promise<string> {
    return this.tokens.sign({ id: randomUUID(), name, kind: "user", roles }, 3600);
  }

  request<T>(app: App, query: string, variables: Record<string, unknown>, token: string | null) {
    return post<T>(this[app], this.tokens, query, variables, token);
  }

  /** The data of a successful operation; fails printing the operation and its errors otherwise. */
  async data<T>(app: App, query: string, variables: Record<string, unknown>, token: string) {
    const result = await this.request<T>(app, query, variables, token);
    if (result.errors?.length || !result.data)
      throw new Error(`${query}\n${JSON.stringify(variables)}\n→ ${JSON.stringify(result.errors, null, 2)}`);
    return result.data;
  }
}

async function post<T>(
  app: SubgraphApp,
  tokens: TokenService,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<GraphQLResult<T>> {
  const request = new Request(`http://${app.name}/graphql`, {
    method: "POST",
    headers: await viaGateway(tokens, token),
    body: JSON.stringify({ query, variables }),
  });
  return (await (await app.handler.fetch(request)).json()) as GraphQLResult<T>;
}

/** Row counts of what a write leaves behind; a refused write must leave every one unchanged. */
export async function footprint(sql: SqlDriver, tables: readonly string[]): Promise<Record<string, number>> {
  const select = tables.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`).join(", ");
  const [row] = await sql.query<Record<string, number>>(`SELECT ${select}`);
  if (!row) throw new Error("count query returned no row");
  return row;
}

export const PRODUCTION_TABLES = [
  "line",
  "work_order",
  "production_run",
  "run_phase",
  "consumption",
  "run_output",
  "installation",
  "audit_log",
  "outbox",
  "idempotency_key",
] as const;
export const INVENTORY_TABLES = ["lot", "stock_movement", "audit_log", "outbox", "idempotency_key"] as const;

/** Payloads of the production events written to the outbox with this subject, oldest first. */
export async function events(sql: SqlDriver, subject: string): Promise<Array<Record<string, unknown>>> {
  const rows = await sql.query<{ payload: Record<string, unknown> }>(
    "SELECT payload FROM outbox WHERE subject = $1 ORDER BY seq",
    [subject],
  );
  return rows.map((row) => row.payload);
}
