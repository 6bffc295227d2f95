import {
  createCounter,
  createHistogram,
  usePrometheus,
  type FillLabelsFnParams,
} from "@graphql-yoga/plugin-prometheus";
import type { ExecutionResult, GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Registry } from "prom-client";
import { LATENCY_BUCKETS, type LotgraphMetrics } from "./metrics.ts";

const OPERATION_LABELS = ["service", "operationName", "operationType", "outcome"] as const;
type OperationLabel = (typeof OPERATION_LABELS)[number];
const ERROR_LABELS = ["service", "operationName", "phase", "code"] as const;
type ErrorLabel = (typeof ERROR_LABELS)[number];

/** The outcome of each executed operation, by its context, for the counters' `outcome` label. */
const outcomes = new WeakMap<object, string>();

/**
 * GraphQL operation metrics of one service, through `@graphql-yoga/plugin-prometheus` (decision
 * 0024): operations and their latency by name, type and outcome (`ok`, or the first error's
 * `extensions.code`), and errors by phase and code. Its own `/metrics` route stays off: metrics
 * are served on their own port (metrics-server.ts), never the API's.
 *
 * The plugin's counters see the operation but not its result, so a small plugin before it
 * records each result's outcome where their label functions can read it (by context).
 */
export function useOperationMetrics(metrics: LotgraphMetrics, service: string): Plugin[] {
  return [
    useOutcomeRecorder(),
    usePrometheus({
      registry: metrics.registry,
      endpoint: false,
      metrics: {
        ...operationMetrics(metrics.registry, service),
        // The rest of the plugin's figures (per-phase histograms, summaries, deprecated fields,
        // its HTTP histogram labelled by full URL) are off: they cost every request and
        // answer nothing an operator of Lotgraph asks; HTTP is measured by `serve` instead.
        graphql_envelop_deprecated_field: false,
        graphql_envelop_request_time_summary: false,
        graphql_envelop_phase_parse: false,
        graphql_envelop_phase_validate: false,
        graphql_envelop_phase_context: false,
        graphql_envelop_phase_execute: false,
        graphql_envelop_phase_subscribe: false,
        graphql_envelop_schema_change: false,
        graphql_yoga_http_duration: false,
      },
    }),
  ];
}

/**
 * How many operation names one service labels its figures with; later new names count as
 * `other`. Any caller, signed in or not, chooses the name it sends, and every name is a series
 * per type and outcome kept for the life of the process: without a bound, a script sending
 * `query Junk<n>` would grow memory and every scrape without end. Lotgraph's own web app and an
 * ERP's integration use a few dozen names.
 */
export const MAX_OPERATION_NAMES = 300;

/** An operation's name as a label: the first MAX_OPERATION_NAMES names seen, then `other`. */
export function operationNameLabels(limit = MAX_OPERATION_NAMES): (name: string | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name) return "Anonymous";
    if (seen.has(name)) return name;
    if (seen.size >= limit || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) return "other";
    seen.add(name);
    return name;
  };
}

/** Our operation counter, its histogram and the error counter, as the plugin's metric configs. */
function operationMetrics(registry: Registry, service: string) {
  const nameLabel = operationNameLabels();
  const operationLabels = (params: FillLabelsFnParams, context: unknown): Record<OperationLabel, string> => ({
    service,
    operationName: nameLabel(params.operationName),
    operationType: params.operationType ?? "unknown",
    outcome: (typeof context === "object" && context !== null && outcomes.get(context)) || "ok",
  });
  return {
    graphql_envelop_request: createCounter<"execute" | "subscribe", OperationLabel>({
      registry,
      counter: {
        name: "lotgraph_graphql_operations_total",
        help: "GraphQL operations executed, by service, operation name, type and outcome (ok or error code)",
        labelNames: OPERATION_LABELS,
      },
      fillLabelsFn: operationLabels,
    }),
    graphql_envelop_request_duration: createHistogram<"execute" | "subscribe", OperationLabel>({
      registry,
      histogram: {
        name: "lotgraph_graphql_operation_duration_seconds",
        help: "Time to execute a GraphQL operation (after parse and validation), by the same labels",
        labelNames: OPERATION_LABELS,
        buckets: LATENCY_BUCKETS,
      },
      fillLabelsFn: operationLabels,
    }),
    graphql_envelop_error_result: createCounter<
      "parse" | "validate" | "context" | "execute" | "subscribe",
      ErrorLabel,
      FillLabelsFnParams & {
        error: unknown;
        errorPhase: "parse" | "validate" | "context" | "execute" | "subscribe";
      }
    >({
      registry,
      counter: {
        name: "lotgraph_graphql_errors_total",
        help: "Errors in GraphQL answers, by service, operation, phase (parse, validate, execute…) and code",
        labelNames: ERROR_LABELS,
      },
      fillLabelsFn: (params) => ({
        service,
        operationName: nameLabel(params.operationName),
        phase: params.errorPhase ?? "execute",
        code: codeOf(params.error, PHASE_CODES[params.errorPhase ?? "execute"]),
      }),
    }),
  };
}

/** Records each executed operation's outcome for the counters above (must come before them). */
function useOutcomeRecorder(): Plugin {
  return {
    onExecute({ args }) {
      const context = args.contextValue as object;
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          outcomes.set(context, outcomeOf(result));
        },
      };
    },
  };
}

/** The code an error of a phase has before useErrorCodes gives it one (as clients see it). */
const PHASE_CODES: Record<string, string> = {
  parse: "GRAPHQL_PARSE_FAILED",
  validate: "GRAPHQL_VALIDATION_FAILED",
};

/** `ok`, or the code of the answer's first error. */
export function outcomeOf(result: ExecutionResult): string {
  const first = result.errors?.[0];
  return first ? codeOf(first) : "ok";
}

/**
 * An error's code as a label: `extensions.code`, else a domain error's own code (masking has not
 * run yet when the outcome is recorded), else INTERNAL_SERVER_ERROR. Only an upper-case word is
 * used as is, so a label never takes an unbounded value.
 */
export function codeOf(error: unknown, fallback = "INTERNAL_SERVER_ERROR"): string {
  const graphql = error as Partial<GraphQLError> | undefined;
  const code = graphql?.extensions?.["code"] ?? (graphql?.originalError as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{0,47}$/.test(code) ? code : fallback;
}
