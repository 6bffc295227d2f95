import { randomUUID } from "node:crypto";
import { GraphQLError, OperationTypeNode, getOperationAST, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { SubscribePayload } from "graphql-ws";
import type { YogaServerInstance } from "graphql-yoga";
import { codedError, isGraphQLErrorLike } from "@lotgraph/kit";
import { DIRECT_CALL, type DirectCall } from "../direct-call.ts";
import { LIVE_SUBSCRIBER } from "./live-plugin.ts";
import { subscriberIdOf, type SocketDeliveries } from "./socket-deliveries.ts";
import type { SocketSession } from "./socket-sessions.ts";
import type { FrameSocket } from "./ws-frames.ts";

/** Yoga's execute and subscribe for one operation, carried to graphql-ws's hooks as its rootValue. */
export interface Enveloped {
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (
    args: ExecutionArgs,
  ) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> | AsyncIterableIterator<ExecutionResult>;
}

/** One subscribe message of a signed-in socket. */
export interface SocketOperation {
  session: SocketSession;
  socket: FrameSocket;
  /** The id the client gave the operation. */
  id: string;
  payload: SubscribePayload;
}

/**
 * Parses and validates one operation with yoga's envelop (the gateway's limits apply), counts a
 * subscription against the socket's cap and registers where its frames go. The context carries
 * the socket's session as a direct call: nothing in the gateway verifies the token again, and
 * the subgraph fetches carry it.
 */
export async function prepareSocketOperation(
  yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>,
  deliveries: SocketDeliveries,
  operation: SocketOperation,
  maxSubscriptions: number,
): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const { session, payload } = operation;
  const call: DirectCall = { principal: session.principal, token: session.token, requestId: randomUUID() };
  const subscriberId = subscriberIdOf(session.id, operation.id);
  const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
    params: payload,
    [DIRECT_CALL]: call,
    [LIVE_SUBSCRIBER]: subscriberId,
  });
  // Refusals end this operation alone (an error message for its id), never the socket: they are
  // coded here, as yoga codes them over HTTP. Armor throws its limits from parse and from
  // validation, with its own copy of GraphQLError.
  let document;
  let errors: readonly unknown[];
  try {
    document = parse(payload.query);
    errors = validate(schema, document);
  } catch (error) {
    if (isGraphQLErrorLike(error)) return [codedError(error)];
    throw error;
  }
  if (errors.length > 0) return errors.map(codedError);
  const operationType = getOperationAST(document, payload.operationName ?? undefined)?.operation;
  if (operationType === OperationTypeNode.SUBSCRIPTION) {
    if (session.subscriptions.size >= maxSubscriptions) return [tooManySubscriptions(maxSubscriptions)];
    // Counted before the first await, so subscribe messages are capped in the order they came.
    session.subscriptions.add(operation.id);
    deliveries.register(subscriberId, { socket: operation.socket, id: operation.id });
  }
  const rootValue: Enveloped = { execute, subscribe };
  let contextValue;
  try {
    contextValue = await contextFactory();
  } catch (error) {
    // Counted and registered above, but it never starts.
    session.subscriptions.delete(operation.id);
    deliveries.release(subscriberId);
    throw error;
  }
  return {
    schema,
    document,
    operationName: payload.operationName ?? null,
    variableValues: payload.variables ?? null,
    contextValue,
    rootValue,
  };
}

function tooManySubscriptions(max: number): GraphQLError {
  return new GraphQLError(`at most ${max} subscriptions may be open on one connection`, {
    extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
  });
}
