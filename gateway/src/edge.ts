import type { Logger } from "@lotgraph/kit";
import { useDisableIntrospection } from "@envelop/disable-introspection";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { GraphQLError } from "graphql";
import type { CORSOptions, Plugin, YogaInitialContext } from "graphql-yoga";
import { callerOf } from "./bearer-check.ts";

/**
 * What the gateway shows a network it does not own (issue 19). Production (NODE_ENV=production)
 * defaults to the strict side: introspection for administrators only, no GraphQL IDE.
 */
export interface EdgeSettings {
  /** Who may introspect the schema: everyone, or signed-in administrators only. */
  introspection: "everyone" | "admins";
  /** GraphiQL at GET /graphql in a browser. */
  ide: boolean;
  /**
   * Origins (scheme://host:port) whose pages may call the gateway from a browser, beside pages
   * served from the gateway's own host name (the web app on its port of the same machine).
   */
  corsOrigins: readonly string[];
}

export function edgeSettings(env: {
  NODE_ENV?: string | undefined;
  LOTGRAPH_INTROSPECTION?: "everyone" | "admins" | undefined;
  LOTGRAPH_GRAPHQL_IDE?: boolean | undefined;
  LOTGRAPH_CORS_ORIGINS?: readonly string[] | undefined;
}): EdgeSettings {
  const production = env.NODE_ENV === "production";
  return {
    introspection: env.LOTGRAPH_INTROSPECTION ?? (production ? "admins" : "everyone"),
    ide: env.LOTGRAPH_GRAPHQL_IDE ?? !production,
    corsOrigins: env.LOTGRAPH_CORS_ORIGINS ?? [],
  };
}

/**
 * CORS for each request: a page of an allowed origin gets the grant, any other origin none (and
 * its browser then refuses to hand the page the answer). No credentials: Lotgraph's tokens travel
 * in the Authorization header, never in cookies.
 */
export function corsFor(settings: EdgeSettings): (request: Request) => CORSOptions {
  const listed = new Set(settings.corsOrigins);
  return (request) => {
    const origin = request.headers.get("origin");
    if (!origin || !(listed.has(origin) || sameHost(origin, request))) return false;
    return {
      origin: [origin],
      credentials: false,
      methods: ["GET", "POST"],
      allowedHeaders: ["authorization", "content-type", "x-request-id", "graphql-preflight"],
      exposedHeaders: ["retry-after", "x-request-id"],
      maxAge: 600,
    };
  };
}

/** The web app on another port of the host the gateway was reached at (the default install). */
function sameHost(origin: string, request: Request): boolean {
  try {
    const host = request.headers.get("host") ?? new URL(request.url).host;
    return new URL(origin).hostname === new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
}

/**
 * The edge's plugins:
 * - CSRF: a request a page of another site could make without a preflight (a form's body, a
 *   plain GET) must carry a header only scripts can set; Authorization counts, since a form
 *   cannot send it. Refused with 403 FORBIDDEN otherwise.
 * - Introspection off for all but administrators when the settings say so.
 * - Every error answered names the request's id, which the gateway's log line carries too.
 */
export function edgePlugins(settings: EdgeSettings, logger: Logger): Plugin<Record<string, unknown>>[] {
  return [
    // Typed for yoga's initial context; the gateway's context extends it.
    useCSRFPrevention({
      requestHeaders: ["authorization", "graphql-preflight", "x-graphql-yoga-csrf"],
    }) as Plugin<Record<string, unknown>>,
    ...(settings.introspection === "admins"
      ? [
          useDisableIntrospection({
            disableIf: ({ context }) => {
              const request = (context as Partial<YogaInitialContext>).request;
              return !(request && callerOf(request)?.roles.includes("ADMIN"));
            },
          }) as Plugin<Record<string, unknown>>,
        ]
      : []),
    useRequestIdOnErrors(logger),
  ];
}

/**
 * Adds `extensions.requestId` to every error of a response, so a person can quote it, and logs
 * the masked ones (no code a user can act on) with it, so support finds the rest in the logs.
 */
function useRequestIdOnErrors(logger: Logger): Plugin<Record<string, unknown>> {
  return {
    onResultProcess({ request, result, setResult }) {
      const requestId = request.headers.get("x-request-id");
      if (!requestId || Array.isArray(result) || !isResult(result) || !result.errors?.length) return;
      const errors = result.errors.map((error) => {
        if (error.extensions?.code === "INTERNAL_SERVER_ERROR")
          logger.error(
            { requestId, path: error.path, message: error.message },
            "request answered with an unexpected error",
          );
        return new GraphQLError(error.message, {
          path: error.path,
          extensions: { ...error.extensions, requestId },
        });
      });
      setResult({ ...result, errors });
    },
  };
}

function isResult(value: unknown): value is { errors?: readonly GraphQLError[] } {
  return typeof value === "object" && value !== null && !(Symbol.asyncIterator in value);
}
