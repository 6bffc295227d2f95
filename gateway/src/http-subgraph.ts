import { STATUS_CODES } from "node:http";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { Pool } from "undici";

/**
 * Connections the gateway keeps open to one subgraph. A federated query holds one per subgraph
 * hop while it waits, so this is the number of hops in flight at once; requests beyond it queue
 * in the pool instead of opening sockets without bound when a subgraph slows down.
 */
const CONNECTIONS_PER_SUBGRAPH = 64;

/**
 * How long an idle connection is kept. Shorter than the subgraphs' own keep-alive (5 s, kit's
 * `serve`), so the gateway never sends on a socket the subgraph is closing (a reset request).
 */
const IDLE_KEEP_ALIVE_MS = 4_000;

/** The answer @apollo/gateway expects from a subgraph fetch. */
interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * The gateway's fetches to a subgraph over HTTP, through a keep-alive pool of undici's
 * (decision 0018). It replaces @apollo/gateway's RemoteGraphQLDataSource, whose client stack
 * (make-fetch-happen over minipass-fetch and agent-base, plus a node-fetch Request and Headers
 * built per fetch) took a fifth of the gateway's CPU per request. What a subgraph sees is the same:
 * a JSON POST with the forwarded headers; what the executor gets is the same too, including the
 * error RemoteGraphQLDataSource makes of a non-2xx answer.
 */
export class HttpSubgraphDataSource implements GraphQLDataSource {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    private readonly url: string,
    /** The headers of the gateway's request that go to the subgraph (token, request id, proof). */
    private readonly forwarded: (context: Record<string, unknown>) => Record<string, string>,
  ) {
    const target = new URL(url);
    this.path = `${target.pathname}${target.search}`;
    this.pool = new Pool(target.origin, {
      connections: CONNECTIONS_PER_SUBGRAPH,
      keepAliveTimeout: IDLE_KEEP_ALIVE_MS,
      keepAliveMaxTimeout: IDLE_KEEP_ALIVE_MS,
    });
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<SubgraphResponse> {
    const { query, variables, operationName, extensions } = options.request;
    if (!query) throw new Error("a subgraph fetch without a query");
    const response = await this.pool.request({
      path: this.path,
      method: "POST",
      headers: {
        ...this.forwarded(options.context),
        "content-type": "application/json",
        // Plain JSON: a GraphQL error then comes back as 200 with `errors`, as the executor expects.
        accept: "application/json",
      },
      body: JSON.stringify({ query, variables, operationName, extensions }),
    });
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode > 299) throw this.httpError(response.statusCode, text);
    const body = parseJson(text);
    if (body === null || typeof body !== "object" || Array.isArray(body))
      throw new Error(`Expected a JSON object from ${this.url}, but received: ${text.slice(0, 200)}`);
    return body as SubgraphResponse;
  }

  /** Closes the pool's connections (the gateway is stopping). */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** The error @apollo/gateway makes of a non-2xx answer, so masking and codes stay as they were. */
  private httpError(status: number, text: string): GraphQLError {
    const code = status === 401 ? "UNAUTHENTICATED" : status === 403 ? "FORBIDDEN" : undefined;
    return new GraphQLError(`${status}: ${STATUS_CODES[status] ?? "Error"}`, {
      extensions: {
        ...(code && { code }),
        response: { url: this.url, status, body: parseJson(text) ?? text },
      },
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
