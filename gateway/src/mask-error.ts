import { GraphQLError } from "graphql";
import { maskError as yogaMaskError, type YogaMaskedErrorOpts } from "graphql-yoga";

/**
 * Error masking at the edge. Subgraphs already mask their own unexpected errors, so an error a
 * subgraph returned (it carries `serviceName`) is passed on with its message and code, minus the
 * subgraph's name. Errors without a code that come from authentication get UNAUTHENTICATED;
 * everything else unexpected is masked by yoga.
 */
export const maskError: YogaMaskedErrorOpts["maskError"] = (error, message, isDev) => {
  if (error instanceof GraphQLError) {
    const { serviceName, ...extensions } = error.extensions;
    if (typeof serviceName === "string") {
      return new GraphQLError(error.message, { path: error.path, extensions });
    }
    const http = error.extensions.http as { status?: number } | undefined;
    if (http?.status === 401 && !error.extensions.code) {
      return new GraphQLError(error.message, { extensions: { ...error.extensions, code: "UNAUTHENTICATED" } });
    }
  }
  return yogaMaskError(error, message, isDev);
};
