import type { IncomingMessage } from "node:http";
import { GraphQLError, type ExecutionResult } from "graphql";
import type { Plugin } from "@envelop/core";
import { bearerToken, grants, type Principal, type TokenService } from "@lotgraph/kit";
import { directCallOf } from "../direct-call.ts";
import { liveOperationOf } from "./live-operation.ts";
import type { LiveHub } from "./live-hub.ts";
import type { SocketDeliveries } from "./socket-deliveries.ts";
import type { LiveStreamAdmission } from "./stream-admission.ts";

/**
 * Set on the context of an operation that came over graphql-ws: the id under which the socket
 * layer registered where the subscription's frames go (SocketDeliveries).
 */
export const LIVE_SUBSCRIBER = Symbol("lotgraph.liveSubscriber");

function refused(code: string, message: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/**
 * Who subscribes: over graphql-ws, the socket's session (its token was verified at
 * connection_init and is not verified again); over HTTP, the bearer token of the request.
 */
async function principalOf(context: unknown, tokens: TokenService): Promise<Principal | null> {
  const direct = directCallOf(context);
  if (direct) return direct.principal;
  const token = bearerOf(context);
  return token ? tokens.verify(token) : null;
}

function bearerOf(context: unknown): string | null {
  const request = (context as { request?: Request }).request;
  return bearerToken(request?.headers.get("authorization"));
}

/**
 * Ends a stream over HTTP once its token stops counting (its owner deactivated, revoked or
 * rotated, docs/decisions/0019): the hub's iterator returns, and yoga ends the response.
 * Sockets are closed the same way by SocketSessions.
 */
function endWhenRevoked<T>(
  stream: AsyncIterableIterator<T>,
  tokens: TokenService,
  principalId: string,
  token: string | null,
): AsyncIterableIterator<T> {
  const registry = tokens.registry;
  if (!registry || !token) return stream;
  const stopFollowing = registry.onChange((changed) => {
    if (!changed.has(principalId)) return;
    void tokens
      .session(token)
      .catch(() => null)
      .then((session) => {
        if (!session) void stream.return?.();
      });
  });
  return {
    next: () =>
      stream.next().then((result) => {
        if (result.done) stopFollowing();
        return result;
      }),
    return: (value?: unknown) => {
      stopFollowing();
      return stream.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
    },
    throw: (error?: unknown) => {
      stopFollowing();
      return stream.throw?.(error) ?? Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export interface LiveSubscriptionsOptions {
  hub: LiveHub;
  tokens: TokenService;
  streams: LiveStreamAdmission;
  deliveries: SocketDeliveries;
}

/**
 * Serves subscription operations from the live hub, on every transport yoga offers (graphql-ws
 * through gateway/src/live/live-sockets.ts, and server-sent events over HTTP). @apollo/gateway
 * only executes queries and mutations; this replaces the subscribe step it cannot do.
 *
 * The caller is known before any subscriber is registered. Sockets are capped as they connect
 * (live-sockets.ts); streams over HTTP are capped here, per account and per address
 * (RATE_LIMITED).
 */
export function useLiveSubscriptions({ hub, tokens, streams, deliveries }: LiveSubscriptionsOptions): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const principal = await principalOf(args.contextValue, tokens);
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
        const subscriberId = (args.contextValue as { [LIVE_SUBSCRIBER]?: string })[LIVE_SUBSCRIBER];
        if (subscriberId !== undefined) {
          const target = deliveries.targetOf(subscriberId);
          if (!target) return refused("BAD_REQUEST", "the subscription ended before it started");
          return hub.subscribe(operation, principal.roles, target);
        }
        const address = (args.contextValue as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? "unknown";
        const refusal = streams.refusal(principal.id, address);
        if (refusal) return refused("RATE_LIMITED", refusal);
        const stream = streams.admit(principal.id, address, hub.subscribe(operation, principal.roles));
        return endWhenRevoked(stream, tokens, principal.id, bearerOf(args.contextValue));
      });
    },
  };
}
