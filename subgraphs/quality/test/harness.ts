import { randomBytes, randomUUID } from "node:crypto";
import {
  InProcessBus,
  TokenService,
  createLogger,
  loadEnv,
  type DatabaseTarget,
  type Role,
  type SubgraphApp,
} from "@lotgraph/kit";
import { viaGateway } from "@lotgraph/kit/testing";
import { createQualitySubgraph } from "../src/server.ts";

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

/**
 * Quality alone, in process, on in-memory PGlite: what needs no peer (gates, access rules, the
 * shape of signatures). Decisions need production and inventory
 * (subgraphs/production/test/quality-decisions.test.ts); holds and signatures need identity too:
 * tests/e2e runs them through the whole system.
 */
export class QualityUnderTest {
  private constructor(
    readonly app: SubgraphApp,
    readonly tokens: TokenService,
  ) {}

  static async start(): Promise<QualityUnderTest> {
    const tokens = new TokenService(randomBytes(32).toString("hex"));
    const database: DatabaseTarget = { kind: "pglite", dataDir: null };
    const app = await createQualitySubgraph({
      env: loadEnv({}),
      logger: createLogger("silent", "quality-test"),
      bus: new InProcessBus(),
      tokens,
      database,
      peerUrl: (peer) => {
        throw new Error(`no ${peer} subgraph in this test`);
      },
    });
    return new QualityUnderTest(app, tokens);
  }

  stop(): Promise<void> {
    return this.app.close();
  }

  token(roles: Role[], name = `${roles.join("+")} person`): Promise<string> {
    return this.tokens.sign({ id: randomUUID(), name, kind: "user", roles }, 3600);
  }

  internalToken(): Promise<string> {
    return this.tokens.internalToken("production");
  }

  async request<T>(query: string, variables: Record<string, unknown>, token: string | null): Promise<GraphQLResult<T>> {
    const request = new Request("http://quality/graphql", {
      method: "POST",
      headers: await viaGateway(this.tokens, token),
      body: JSON.stringify({ query, variables }),
    });
    return (await (await this.app.handler.fetch(request)).json()) as GraphQLResult<T>;
  }

  async data<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const result = await this.request<T>(query, variables, token);
    if (result.errors?.length || !result.data)
      throw new Error(`${query}\n${JSON.stringify(variables)}\n→ ${JSON.stringify(result.errors, null, 2)}`);
    return result.data;
  }

  /** The first error of an operation that must fail. */
  async error(query: string, variables: Record<string, unknown>, token: string | null) {
    const result = await this.request(query, variables, token);
    const [first] = result.errors ?? [];
    if (!first) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
    return { code: first.extensions?.code, message: first.message, extensions: first.extensions ?? {} };
  }
}
