import { failed, SpanKind, startChildSpan, tracingEnabled } from "@lotgraph/kit";
import { context } from "@opentelemetry/api";

/** Cypher text kept on a span: enough to recognise the statement, bounded in size. */
const STATEMENT_LIMIT = 2_000;

/** The statement's first clause (`MATCH`, `MERGE`, `UNWIND`, `CALL`, ...), past comments. */
export function cypherOperation(query: string): string {
  const text = query.replace(/^(\s|\/\/[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, "");
  return /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase() ?? "CYPHER";
}

/**
 * A Neo4j transaction (managed or explicit) whose `run` makes a client span per statement, when it
 * runs within a traced operation (a trace query, a projection's event): db.system "neo4j", the
 * operation and the statement text. Parameters travel separately, so the text holds no values.
 * The span ends when the statement's result settles (every caller awaits it). With tracing off the
 * transaction is returned as it is.
 */
export function tracedCypher<T extends object>(tx: T): T {
  if (!tracingEnabled()) return tx;
  return new Proxy(tx, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const method = value as (query: string, ...rest: unknown[]) => PromiseLike<unknown>;
      if (key !== "run") return method.bind(target);
      return (query: string, ...rest: unknown[]) => {
        const operation = cypherOperation(query);
        const started = startChildSpan(operation, {
          kind: SpanKind.CLIENT,
          attributes: () => ({
            "db.system": "neo4j",
            "db.operation": operation,
            "db.statement": query.length > STATEMENT_LIMIT ? `${query.slice(0, STATEMENT_LIMIT)}…` : query,
          }),
        });
        if (!started) return method.call(target, query, ...rest);
        const { span } = started;
        const result = context.with(started.context, () => method.call(target, query, ...rest));
        result.then(
          () => span.end(),
          (error: unknown) => {
            failed(span, error);
            span.end();
          },
        );
        return result;
      };
    },
  });
}
