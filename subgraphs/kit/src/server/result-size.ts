import { GraphQLError, getOperationAST, type ExecutionResult } from "graphql";
import type { Plugin } from "@envelop/core";

/** The largest query result the gateway answers: far above any screen's or integration's page. */
export const MAX_RESULT_BYTES = 8 * 1024 * 1024;

/**
 * A cap on the size of a query's result, behind the cost limit: the cost is an estimate (a list
 * field without `first`, long texts), this is the answer as it would be sent. A query over it is
 * answered with an error that says how big it was, not with megabytes a client did not mean to
 * ask for. Mutations are never capped: their effect has happened and the client must learn it.
 */
export function useResultSizeLimit(maxBytes: number = MAX_RESULT_BYTES): Plugin {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation !== "query") return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!isSingleResult(result)) return;
          const bytes = Buffer.byteLength(JSON.stringify(result));
          if (bytes <= maxBytes) return;
          setResult({
            errors: [
              new GraphQLError(
                `the result would be ${formatSize(bytes)}, over the limit of ${formatSize(maxBytes)}: ask for fewer items (first) or fewer fields`,
                { extensions: { code: "BAD_USER_INPUT", resultBytes: bytes, maxResultBytes: maxBytes } },
              ),
            ],
          });
        },
      };
    },
  };
}

function isSingleResult(result: unknown): result is ExecutionResult {
  return typeof result === "object" && result !== null && !(Symbol.asyncIterator in result);
}

const formatSize = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
