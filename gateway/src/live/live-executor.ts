import { randomUUID } from "node:crypto";
import { activeTraceId } from "@lotgraph/kit";
import type { ExecutionResult } from "graphql";
import { DIRECT_CALL } from "../direct-call.ts";
import type { FederatedExecution } from "../federation.ts";
import { maskResult } from "../mask-error.ts";
import type { LiveExecutor } from "./live-hub.ts";
import type { LiveServiceCalls } from "./live-service-calls.ts";

/**
 * Runs live queries through the gateway's federated execution (the envelop that yoga also runs:
 * the operation limits, then @apollo/gateway's planner and executor), with a context built here:
 * the group's service caller, whose token the subgraph fetches carry. Nothing goes through
 * yoga's HTTP pipeline and no token is verified by the gateway on the way.
 */
export function createLiveExecutor(federated: FederatedExecution, calls: LiveServiceCalls): LiveExecutor {
  return async (document, variables, roles) => {
    const caller = await calls.callerFor(roles);
    // Run for a bus event: with tracing on, in its consumer span, whose trace id is the request id.
    const requestId = activeTraceId() ?? randomUUID();
    const { schema, execute, contextFactory } = federated({ [DIRECT_CALL]: { ...caller, requestId } });
    const result = (await execute({
      schema,
      document,
      variableValues: variables,
      contextValue: await contextFactory(),
    })) as ExecutionResult;
    return maskResult(result);
  };
}
