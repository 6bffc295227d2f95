import type { IncomingMessage } from "node:http";
import { ApolloGateway, type GraphQLDataSource } from "@apollo/gateway";
import { useApolloFederation } from "@envelop/apollo-federation";
import { envelop } from "@envelop/core";
import {
  CLIENT_ADDRESS_HEADER,
  GATEWAY_PROOF_HEADER,
  injectTraceHeaders,
  operationLimitPlugins,
  useInputHygiene,
  useResultSizeLimit,
  type GatewayCredential,
  type Logger,
  type LotgraphMetrics,
  type SubgraphName,
} from "@lotgraph/kit";
import { directCallOf } from "./direct-call.ts";
import { HttpSubgraphDataSource } from "./http-subgraph.ts";
import { InProcessDataSource, type InProcessSubgraph } from "./in-process-subgraph.ts";
import { measuredDataSource } from "./metrics.ts";
import { tracedSubgraphFetches } from "./tracing.ts";

/** Headers the gateway forwards to every subgraph: the caller's token and the request id. */
export const FORWARDED_HEADERS = ["authorization", "x-request-id"] as const;

/**
 * The headers of a subgraph fetch: the caller's token and request id, and the gateway's proof
 * (subgraphs answer nobody else; the caller's token says who is asking). An HTTP request's are
 * forwarded from it; an operation the gateway runs for a caller it knows (a socket's, a live
 * group's) carries that caller's token.
 */
function subgraphHeaders(credential: GatewayCredential) {
  return (context: Record<string, unknown>): Record<string, string> => {
    const headers: Record<string, string> = { [GATEWAY_PROOF_HEADER]: credential.current() };
    // The address the request came from, as this process saw it (sign-in throttling).
    const address = (context as { req?: IncomingMessage }).req?.socket?.remoteAddress;
    if (address) headers[CLIENT_ADDRESS_HEADER] = address;
    const direct = directCallOf(context);
    // The active span is the fetch's own (tracing.ts): the subgraph's span becomes its child.
    injectTraceHeaders(headers);
    if (direct) {
      headers["authorization"] = `Bearer ${direct.token}`;
      headers["x-request-id"] = direct.requestId;
      return headers;
    }
    const incoming = (context as { request?: Request }).request;
    for (const header of FORWARDED_HEADERS) {
      const value = incoming?.headers.get(header);
      if (value) headers[header] = value;
    }
    return headers;
  };
}

export interface FederationOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Subgraphs running in this process, fetched through their own envelop (InProcessDataSource). */
  inProcessSubgraphs: Partial<Record<SubgraphName, InProcessSubgraph>>;
  credential: GatewayCredential;
  logger: Logger;
  /** Times each subgraph fetch when given. */
  metrics?: LotgraphMetrics;
}

/** @apollo/gateway loaded, and a stop that also closes its connections to the subgraphs. */
export interface LoadedFederation {
  gateway: ApolloGateway;
  stop(): Promise<void>;
}

/**
 * @apollo/gateway over the static supergraph, loaded: the planner and executor that every
 * operation (HTTP, graphql-ws, live updates) runs through.
 */
export async function loadFederation(options: FederationOptions): Promise<LoadedFederation> {
  const { subgraphUrls, inProcessSubgraphs } = options;
  const forwardedHeaders = subgraphHeaders(options.credential);
  const overHttp: HttpSubgraphDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger.child({ component: "apollo-gateway" }),
    buildService: ({ name, url }) => {
      const subgraphUrl = subgraphUrls[name as SubgraphName] ?? url;
      const local = inProcessSubgraphs[name as SubgraphName];
      const { metrics } = options;
      // Metrics time the traced fetch: the span's own cost is part of what the gateway waited.
      const observed = (source: GraphQLDataSource, transport: "in-process" | "http") => {
        const traced = tracedSubgraphFetches(name, source);
        return metrics ? measuredDataSource(traced, name, transport, metrics) : traced;
      };
      if (local) return observed(new InProcessDataSource(subgraphUrl, local, forwardedHeaders), "in-process");
      const remote = new HttpSubgraphDataSource(subgraphUrl, forwardedHeaders);
      overHttp.push(remote);
      return observed(remote, "http");
    },
  });
  await gateway.load();
  return {
    gateway,
    async stop() {
      await gateway.stop();
      await Promise.all(overHttp.map((source) => source.close()));
    },
  };
}

/**
 * The federated execution every operation goes through, built before anything that runs
 * operations: the gateway's operation limits (depth, aliases, tokens and cost; input hygiene;
 * the result size) and @apollo/gateway's executor. Yoga runs it inside its HTTP and graphql-ws
 * pipeline (useEnvelop); the live hub runs it directly, with a context it builds itself.
 */
export function federatedExecution(gateway: ApolloGateway) {
  return envelop({
    plugins: [...operationLimitPlugins(), useInputHygiene(), useResultSizeLimit(), useApolloFederation({ gateway })],
  });
}

export type FederatedExecution = ReturnType<typeof federatedExecution>;
