import type { CombinedError } from "@urql/core";

/** Stable error codes from the API contract (DESIGN.md §5) that the web app reacts to. */
export type ErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | (string & {});

/** The first `extensions.code` among the GraphQL errors, if any. */
export function errorCode(error: CombinedError): ErrorCode | undefined {
  for (const graphQLError of error.graphQLErrors) {
    const code = graphQLError.extensions["code"];
    if (typeof code === "string") return code;
  }
  return undefined;
}

export function isUnauthenticated(error: CombinedError): boolean {
  return error.graphQLErrors.some((e) => e.extensions["code"] === "UNAUTHENTICATED");
}

/** A sentence a person on the floor can act on; never a stack trace. */
export function describeError(error: CombinedError): string {
  if (error.networkError) {
    return "Lotgraph can't be reached. Check the network connection and try again.";
  }
  switch (errorCode(error)) {
    case "UNAUTHENTICATED":
      return "Your session has ended. Sign in again.";
    case "FORBIDDEN":
      return "Your account is not allowed to see this. Ask an administrator for access.";
    default:
      return error.graphQLErrors[0]?.message ?? "Something went wrong. Try again.";
  }
}
