/** What drivers and GraphQL put on the errors they wrap, as far as the classifiers read it. */
export interface WrappedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  /** Prisma's driver adapters: the underlying failure's kind and SQLSTATE. */
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
}

/**
 * An error and every error it wraps, outermost first, following `cause` (Node, drivers) and
 * `originalError` (GraphQL); a cycle ends the walk.
 */
export function* errorChain(error: unknown): Generator<WrappedError> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const wrapped = current as WrappedError;
    yield wrapped;
    current = wrapped.cause ?? wrapped.originalError;
  }
}
