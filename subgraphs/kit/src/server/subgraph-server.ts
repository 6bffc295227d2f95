import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { guardedResolvers, requestIdOfError } from "./access-guard.ts";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import { GraphQLError, parse } from "graphql";
import {
  createYoga,
  maskError as defaultMaskError,
  type MaskError,
  type Plugin,
  type YogaServerInstance,
} from "graphql-yoga";
import type { TokenService } from "../auth/tokens.ts";
import { bearerToken, type Principal } from "../auth/tokens.ts";
import { AUDIT_TYPE_DEFS, auditResolvers } from "../audit/audit-api.ts";
import { CHANGES_TYPE_DEFS, changesResolvers } from "../outbox/changes-api.ts";
import { isTrustedCaller } from "../auth/gateway-proof.ts";
import type { SqlDriver } from "../db/sql.ts";
import { DomainError, toGraphQLError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { useErrorCodes } from "./error-codes.ts";
import { useInputHygiene } from "./input-hygiene.ts";
import { isDependencyUnavailable, serviceUnavailableError } from "../unavailable.ts";
import { refusedByDatabase } from "../refused-by-database.ts";
import { runAsCaller } from "../db/idempotency.ts";
import { SUBGRAPH_OPERATION_LIMITS, operationLimitPlugins } from "./operation-limits.ts";
import { YOGA_BODY_LIMIT_CHECKED_BY_SERVE } from "./serve.ts";
import { yogaLogger } from "./yoga-logger.ts";
import type { ServiceMetrics } from "../metrics/metrics.ts";
import { useOperationMetrics } from "../metrics/operation-metrics.ts";
import { useSubgraphSpans } from "../tracing/subgraph-spans.ts";

/** What every subgraph resolver receives. Subgraphs extend it with their loaders and services. */
export interface BaseContext {
  principal: Principal | null;
  requestId: string;
  logger: Logger;
  /** The caller's bearer token, forwarded when this subgraph calls another one for the user. */
  token: string | null;
  /**
   * The caller's network address as the gateway saw it (CLIENT_ADDRESS_HEADER), for throttling;
   * null when unknown. Only the gateway and Lotgraph services reach a subgraph, so it is theirs.
   */
  clientAddress: string | null;
}

/** The header in which the gateway passes on the address a request came from. */
export const CLIENT_ADDRESS_HEADER = "x-lotgraph-client-address";

export interface SubgraphServerOptions<Context extends BaseContext> {
  name: string;
  /** Absolute path of `schema.graphql`; resolve it from `import.meta.url`, never the cwd. */
  schemaPath: string;
  /**
   * The subgraph's codegen-typed `Resolvers` object. Typed loosely here because Apollo's
   * resolver map cannot express `__resolveReference`'s signature; codegen checks the real types.
   */
  resolvers: object;
  tokens: TokenService;
  logger: Logger;
  /**
   * The subgraph's own database: the kit serves its audit log's and its change history's internal
   * reads from it (audit.graphql, changes.graphql).
   */
  audit: SqlDriver;
  /** Adds the subgraph's own per-request fields (DataLoaders, services) to the base context. */
  extendContext: (base: BaseContext) => Context | Promise<Context>;
  /** Counts and times its operations (the subgraph's `deps.metrics`); absent, nothing is measured. */
  metrics?: ServiceMetrics;
}

/**
 * Builds a subgraph's yoga instance (never listens: see {@link serve}). It answers only the gateway
 * (its proof header) and other Lotgraph services (their token): anything else is refused before
 * its operation is even parsed, `_entities` and `_service` included. Tokens are verified here,
 * once per request; plain identity headers are never trusted. Operations run within the same
 * limits as at the gateway. Domain errors become GraphQL
 * errors with their code; anything else is masked and logged.
 */
export function createSubgraphYoga<Context extends BaseContext>(
  options: SubgraphServerOptions<Context>,
): YogaServerInstance<Record<string, never>, Context> {
  const typeDefs = parse(readFileSync(options.schemaPath, "utf8"));
  // The one cast of the resolver maps, at this boundary (see `resolvers` above).
  const resolvers = options.resolvers as GraphQLResolverMap<unknown>;
  // Every query and mutation behind its entry of the access policy (auth/policy.ts).
  const schema = buildSubgraphSchema([
    { typeDefs, resolvers: guardedResolvers([typeDefs], resolvers) as GraphQLResolverMap<unknown> },
    {
      typeDefs: AUDIT_TYPE_DEFS,
      resolvers: guardedResolvers([AUDIT_TYPE_DEFS], auditResolvers(options.audit)) as GraphQLResolverMap<unknown>,
    },
    {
      typeDefs: CHANGES_TYPE_DEFS,
      resolvers: guardedResolvers([CHANGES_TYPE_DEFS], changesResolvers(options.audit)) as GraphQLResolverMap<unknown>,
    },
  ]);
  const { logger } = options;
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    maxRequestBodySize: YOGA_BODY_LIMIT_CHECKED_BY_SERVE,
    logging: yogaLogger(logger.child({ component: "yoga" })),
    plugins: [
      useSubgraphSpans(options.name),
      useOnlyTrustedCallers(options.tokens),
      ...(options.metrics ? useOperationMetrics(options.metrics.metrics, options.metrics.service) : []),
      ...operationLimitPlugins(
        SUBGRAPH_OPERATION_LIMITS,
        (context) => (context as Partial<BaseContext>).principal?.kind === "internal",
      ),
      useInputHygiene(),
      useCallerScope(),
      useErrorCodes(),
    ],
    maskedErrors: { maskError: subgraphErrorMask(logger) },
    context: async ({ request }): Promise<Context> => {
      const requestId = request.headers.get("x-request-id") ?? randomUUID();
      const token = bearerToken(request.headers.get("authorization"));
      const principal = token ? await options.tokens.verify(token) : null;
      return options.extendContext({
        principal,
        requestId,
        token,
        clientAddress: request.headers.get(CLIENT_ADDRESS_HEADER)?.slice(0, 64) || null,
        logger: logger.child({ requestId }),
      });
    },
  });
}

/**
 * What a caller sees of an error: a domain error or a coded GraphQL error as it is, a value the
 * database refused as BAD_USER_INPUT, an unreachable dependency as SERVICE_UNAVAILABLE, anything
 * else masked (and logged with its stack).
 */
function subgraphErrorMask(logger: Logger): MaskError {
  return (error, message, isDev) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof DomainError) return toGraphQLError(original);
    if (original instanceof GraphQLError && original.extensions?.code) return original;
    const path = error instanceof GraphQLError ? error.path : undefined;
    const refused = refusedByDatabase(original ?? error);
    if (refused) {
      // A warning without the stack: the client gets BAD_USER_INPUT; this says which check is missing.
      logger.warn(
        { sqlState: refused.extensions.sqlState, path },
        "the database refused a value validation let through",
      );
      return new GraphQLError(refused.message, { ...(path ? { path } : {}), extensions: refused.extensions });
    }
    if (isDependencyUnavailable(original ?? error)) {
      logger.warn({ err: original ?? error }, "a dependency is unavailable");
      return serviceUnavailableError(path);
    }
    // The request id lets support find this line from what the caller quotes (extensions.requestId).
    logger.error({ err: original ?? error, requestId: requestIdOfError(original) }, "unexpected error");
    return defaultMaskError(error, message, isDev);
  };
}

/**
 * Runs each operation as its caller, so the idempotency keys it uses are the caller's own
 * (db/idempotency.ts): keyed by the principal's id, "anonymous" without one.
 */
function useCallerScope(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) =>
        runAsCaller((args.contextValue as Partial<BaseContext>).principal?.id ?? "anonymous", () => executeFn(args)),
      );
    },
  };
}

/** Refuses, before parsing, every request that neither the gateway nor a Lotgraph service sent. */
function useOnlyTrustedCallers(tokens: TokenService): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      if (await isTrustedCaller(tokens, request.headers)) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message:
                  "this service answers only the Lotgraph gateway and Lotgraph services: send the request to the gateway",
                extensions: { code: "UNAUTHENTICATED" },
              },
            ],
          }),
          { status: 401, headers: { "content-type": "application/json", "www-authenticate": "Bearer" } },
        ),
      );
    },
  };
}
