import type { Principal } from "@lotgraph/kit";

/**
 * Set on the context of an operation whose caller the gateway already knows without reading an
 * HTTP request: an operation over a graphql-ws socket (the session its connection_init opened)
 * or a live group's execution (a service token the gateway signed). Nothing verifies it again in
 * the gateway; the subgraphs verify its token, as they verify every token.
 */
export const DIRECT_CALL = Symbol("lotgraph.directCall");

export interface DirectCall {
  /** Who the operation runs for. */
  principal: Principal;
  /** The bearer token the operation's subgraph fetches carry. */
  token: string;
  /** Sent to the subgraphs as x-request-id, so their logs tie each fetch to the operation. */
  requestId: string;
}

/** The direct call of a context, or undefined for an operation that came as an HTTP request. */
export function directCallOf(context: unknown): DirectCall | undefined {
  return (context as { [DIRECT_CALL]?: DirectCall } | null | undefined)?.[DIRECT_CALL];
}
