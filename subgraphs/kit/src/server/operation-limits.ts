import { EnvelopArmor } from "@escape.tech/graphql-armor";
import type { Plugin } from "graphql-yoga";
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isListType,
  type GraphQLField,
  type GraphQLCompositeType,
} from "graphql";
import { getComplexity, type ComplexityEstimatorArgs } from "graphql-query-complexity";

/** What one operation may ask for, at the gateway and at every subgraph alike. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Estimated fields resolved, lists counted by their size (see {@link operationCost}). */
  maxCost: number;
}

export const OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5_000,
  maxDirectives: 50,
  maxCost: 20_000,
};

/**
 * A subgraph's limits: the gateway's, with room for what its query planner adds to an operation
 * it allowed (an `_entities` level and inline fragments, a batch of representations).
 */
export const SUBGRAPH_OPERATION_LIMITS: OperationLimits = {
  maxDepth: OPERATION_LIMITS.maxDepth + 4,
  maxAliases: 120,
  maxTokens: OPERATION_LIMITS.maxTokens * 4,
  maxDirectives: OPERATION_LIMITS.maxDirectives * 2,
  maxCost: OPERATION_LIMITS.maxCost * 2,
};

/** How many items a list without `first` is assumed to hold (lists of a lot's holds, a trace's nodes). */
const UNBOUNDED_LIST_ESTIMATE = 10;

/**
 * The operation limits as envelop plugins: graphql-armor for depth, aliases, tokens, directives
 * and field suggestions, and a cost limit that counts what a list will hold: `first` (from a
 * literal, a variable or the argument's default) or the length of a list argument (`_entities`'
 * representations), an assumed size for other lists. Refusals are GRAPHQL_VALIDATION_FAILED with
 * the limit named; nothing runs.
 */
export function operationLimitPlugins(
  limits: OperationLimits = OPERATION_LIMITS,
  /** Callers whose operations are not costed: Lotgraph's own services (their queries are code). */
  exempt: (context: Record<string, unknown>) => boolean = () => false,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- yoga and armor's envelop plugins differ only in their context type
): Plugin<any>[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    // Replaced by the list-aware cost below: armor's cost ignores list sizes.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  });
  return [...armor.protect().plugins, useCostLimit(limits.maxCost, exempt)];
}

function useCostLimit(
  maxCost: number,
  exempt: (context: Record<string, unknown>) => boolean,
): Plugin<Record<string, unknown>> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (exempt((args.contextValue ?? {}) as Record<string, unknown>)) return;
      let cost: number;
      try {
        cost = operationCost(args.schema, args.document, args.variableValues ?? {}, args.operationName ?? undefined);
      } catch {
        // Variables the execution itself will refuse (wrong types): let it say so.
        return;
      }
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `this operation would cost ${cost}, over the limit of ${maxCost}: ask for fewer items (first) or fewer fields`,
              { extensions: { code: "GRAPHQL_VALIDATION_FAILED", cost, maxCost } },
            ),
          ],
        });
      }
    },
  };
}

/** The estimated cost of an operation with its variables: fields resolved, lists by their size. */
export function operationCost(
  schema: Parameters<typeof getComplexity>[0]["schema"],
  document: Parameters<typeof getComplexity>[0]["query"],
  variables: Record<string, unknown>,
  operationName?: string,
): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    ...(operationName ? { operationName } : {}),
    estimators: [listSizeEstimator],
  });
}

function listSizeEstimator({ args, childComplexity, field, type }: ComplexityEstimatorArgs): number {
  return 1 + childComplexity * itemsOf(field, type, args);
}

/** How many times a field's selection is resolved: once, or once per item of the list it returns. */
function itemsOf(
  field: GraphQLField<unknown, unknown>,
  parent: GraphQLCompositeType,
  args: Record<string, unknown>,
): number {
  const first = args["first"];
  if (typeof first === "number" && Number.isFinite(first)) return Math.max(first, 0);
  const representations = args["representations"];
  if (Array.isArray(representations)) return representations.length;
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's edges hold the items its `first` already counted.
  if (getNamedType(parent).name.endsWith("Connection")) return 1;
  return UNBOUNDED_LIST_ESTIMATE;
}
