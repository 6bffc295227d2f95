import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { useApolloFederation } from "@envelop/apollo-federation";
import { EnvelopArmor } from "@escape.tech/graphql-armor";
import { createInlineSigningKeyProvider, extractFromHeader, useJWT } from "@graphql-yoga/plugin-jwt";
import { yogaLogger, type Logger, type ReadinessCheck, type SubgraphName } from "@lotgraph/kit";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { maskError } from "./mask-error.ts";

const SUPERGRAPH_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schema", "supergraph.graphql");

export interface GatewayOptions {
  subgraphUrls: Record<SubgraphName, string>;
  jwtSecret: string;
  logger: Logger;
  /** Defaults to the committed `schema/supergraph.graphql`. */
  supergraphSdl?: string;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/** Headers the gateway forwards to every subgraph: the caller's token and the request id. */
const FORWARDED_HEADERS = ["authorization", "x-request-id"] as const;

/**
 * The public entry point: graphql-yoga hosting @apollo/gateway (static supergraph), with JWT
 * verification, operation limits and error masking from maintained plugins. Subgraphs verify
 * the forwarded token again; the gateway rejects bad tokens early.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger, subgraphUrls } = options;
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, "utf8"),
    logger: logger.child({ component: "apollo-gateway" }),
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url: subgraphUrls[name as SubgraphName] ?? url,
        willSendRequest({ request, context }) {
          const incoming = (context as { request?: Request }).request;
          for (const header of FORWARDED_HEADERS) {
            const value = incoming?.headers.get(header);
            if (value) request.http?.headers.set(header, value);
          }
        },
      }),
  });
  await gateway.load();
  const armor = new EnvelopArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 30 },
    costLimit: { maxCost: 20_000 },
    maxTokens: { n: 5_000 },
    blockFieldSuggestion: { enabled: true },
  });
  const yoga = createYoga<Record<string, unknown>, Record<string, unknown>>({
    graphqlEndpoint: "/graphql",
    landingPage: false,
    logging: yogaLogger(logger.child({ component: "yoga" })),
    maskedErrors: { maskError },
    plugins: [
      {
        // Every request gets an id, reused by the subgraphs' logs.
        onRequest({ request }) {
          if (!request.headers.get("x-request-id")) request.headers.set("x-request-id", randomUUID());
        },
      },
      useJWT({
        signingKeyProviders: [createInlineSigningKeyProvider(options.jwtSecret)],
        tokenLookupLocations: [extractFromHeader({ name: "authorization", prefix: "Bearer" })],
        tokenVerification: { algorithms: ["HS256"], issuer: "lotgraph", audience: "lotgraph" },
        // Anonymous requests go on (login needs them); subgraphs refuse what needs a caller.
        reject: { missingToken: false, invalidToken: true },
      }),
      ...armor.protect().plugins,
      useApolloFederation({ gateway }),
    ],
  });
  return {
    yoga,
    readiness: Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, url]) => [name, () => probe(url.replace(/\/graphql$/, "/readyz"))]),
    ),
    close: () => gateway.stop(),
  };
}

async function probe(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1_500) });
  return response.ok;
}
