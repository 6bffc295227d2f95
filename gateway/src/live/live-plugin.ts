import type { IncomingMessage } from "node:http";
import { GraphQLError, type ExecutionResult } from "graphql";
import type { Plugin } from "@envelop/core";
import { bearerToken, grants, type TokenService } from "@lotgraph/kit";
import { liveOperationOf } from "./live-operation.ts";
import type { LiveHub } from "./live-hub.ts";
import type { SocketTarget } from "./socket-subscriber.ts";
import type { LiveStreamAdmission } from "./stream-admission.ts";

/**
 * Set on the context of an operation that came over graphql-ws: where the live hub may write its
 * updates directly (see SocketSubscriber).
 */
export const LIVE_SOCKET_TARGET = Symbol("lotgraph.liveSocketTarget");

function refused(code: string, message: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/**
 * Serves subscription operations from the live hub, on every transport yoga offers (graphql-ws
 * through gateway/src/live/live-sockets.ts, and server-sent events over HTTP). @apollo/gateway
 * only executes queries and mutations; this replaces the subscribe step it cannot do.
 *
 * The caller's token is read from the request the operation came with (for graphql-ws, the one
 * built from connection_init) and checked here, before any subscriber is registered. Sockets are
 * capped as they connect (live-sockets.ts); streams over HTTP are capped here, per account and
 * per address (RATE_LIMITED).
 */
export function useLiveSubscriptions(hub: LiveHub, tokens: TokenService, streams: LiveStreamAdmission): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const request = (args.contextValue as { request?: Request }).request;
        const token = bearerToken(request?.headers.get("authorization"));
        const principal = token ? await tokens.verify(token) : null;
        if (!principal) return refused("UNAUTHENTICATED", "sign in to subscribe: send a valid token");
        let operation;
        try {
          operation = liveOperationOf(args.schema, args.document, args.operationName, args.variableValues);
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          throw error;
        }
        if (!grants(principal.roles, operation.binding.roles)) {
          return refused(
            "FORBIDDEN",
            `${operation.binding.field} needs one of the roles ${operation.binding.roles.join(", ")} (or a role that includes one)`,
          );
        }
        const socket = (args.contextValue as { [LIVE_SOCKET_TARGET]?: SocketTarget })[LIVE_SOCKET_TARGET];
        if (socket) return hub.subscribe(operation, principal.roles, socket);
        const address = (args.contextValue as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? "unknown";
        const refusal = streams.refusal(principal.id, address);
        if (refusal) return refused("RATE_LIMITED", refusal);
        return streams.admit(principal.id, address, hub.subscribe(operation, principal.roles));
      });
    },
  };
}
