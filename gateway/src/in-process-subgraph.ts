import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import {
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from "graphql";

/** What the gateway needs of a subgraph running in its process: the subgraph's yoga envelop. */
export interface InProcessSubgraph {
  getEnveloped(initialContext: {
    request: Request;
    params: { query?: string; variables?: Record<string, unknown>; operationName?: string };
  }): {
    schema: GraphQLSchema;
    parse(source: string): DocumentNode;
    validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[];
    contextFactory(): unknown;
    execute(args: ExecutionArgs): unknown;
  };
}

/** The answer @apollo/gateway expects from a subgraph, as it would read it from HTTP. */
interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/**
 * Runs the gateway's fetches to a subgraph in the same process through the subgraph's own envelop
 * (yoga's parse and validation caches, its context with the forwarded token, its error masking,
 * its resolvers), as its HTTP endpoint would, without what only HTTP needs: a socket, a request
 * body and a response stream on both ends, and a JSON round trip of every result. On a 2-core
 * machine that halved the cost of a federated query's subgraph hops (docs/decisions/0010).
 */
export class InProcessDataSource implements GraphQLDataSource {
  constructor(
    private readonly url: string,
    private readonly subgraph: InProcessSubgraph,
    /** The headers of the gateway's request that go to the subgraph (token, request id). */
    private readonly forwarded: (context: Record<string, unknown>) => Record<string, string>,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<SubgraphResponse> {
    const { query, variables, operationName } = options.request;
    if (!query) throw new Error("a subgraph fetch without a query");
    const request = new Request(this.url, { method: "POST", headers: this.forwarded(options.context) });
    const enveloped = this.subgraph.getEnveloped({
      request,
      params: { query, ...(variables && { variables }), ...(operationName && { operationName }) },
    });
    let document: DocumentNode;
    try {
      document = enveloped.parse(query);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error.toJSON()] };
      throw error;
    }
    const invalid = enveloped.validate(enveloped.schema, document);
    if (invalid.length > 0) return { errors: invalid.map((error) => error.toJSON()) };
    const result = (await enveloped.execute({
      schema: enveloped.schema,
      document,
      variableValues: variables ?? null,
      operationName: operationName ?? null,
      contextValue: await enveloped.contextFactory(),
    })) as ExecutionResult | AsyncIterable<unknown>;
    if (Symbol.asyncIterator in result) throw new Error("a subgraph answered a fetch with a stream");
    return {
      data: result.data ?? null,
      ...(result.errors?.length && { errors: result.errors.map((error) => error.toJSON()) }),
    };
  }
}
