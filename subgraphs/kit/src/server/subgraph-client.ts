import { DomainError, ERROR_CODES, type ErrorCode } from "../errors.ts";
import type { TokenService } from "../auth/tokens.ts";
import { injectTraceHeaders } from "../tracing/propagation.ts";

export interface SubgraphClientOptions {
  /** The calling service, named in its internal token. */
  caller: string;
  /** Resolves the target subgraph's /graphql URL at call time (ports may be assigned late). */
  url: () => string;
  tokens: TokenService;
  /** Per-call timeout (default 10 s). */
  timeoutMs?: number;
}

/**
 * Calls another subgraph's internal operations directly (not through the gateway: internal
 * fields are @inaccessible there), with a short-lived internal token. A domain error of the
 * callee comes back as the same DomainError code here, so `LOT_UNAVAILABLE` raised by inventory
 * reaches production's caller unchanged. Transport failures and timeouts throw plain errors:
 * the caller must treat the outcome as unknown and retry with the same idempotency key.
 */
export class SubgraphClient {
  constructor(private readonly options: SubgraphClientOptions) {}

  async request<T>(query: string, variables: Record<string, unknown>, requestId?: string): Promise<T> {
    const token = await this.options.tokens.internalToken(this.options.caller);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      ...(requestId ? { "x-request-id": requestId } : {}),
    };
    // The callee's operation joins the caller's trace (a no-op with tracing off).
    injectTraceHeaders(headers);
    const send = () =>
      fetch(this.options.url(), {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      // A kept-alive socket the callee closed as idle, reused before this process saw the close:
      // it happens when a long synchronous stretch (a recall's exposure over 10,000 lots) holds
      // the event loop past both idle timeouts. The callee read nothing; a query is sent again
      // on a new connection. A mutation is not: its outcome is the caller's to settle.
      if (!isQuery(query) || !isConnectionReset(error)) throw error;
      response = await send();
    }
    const body = (await response.json()) as {
      data?: T | null;
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    };
    const [error] = body.errors ?? [];
    if (error) {
      const { code, ...details } = error.extensions ?? {};
      if (isErrorCode(code)) throw new DomainError(code, error.message, details);
      throw new Error(`internal call failed: ${error.message}`);
    }
    if (!body.data) throw new Error(`internal call returned no data (HTTP ${response.status})`);
    return body.data;
  }
}

function isQuery(document: string): boolean {
  return /^\s*(query\b|\{)/.test(document);
}

function isConnectionReset(error: unknown): boolean {
  const cause = error instanceof TypeError ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === "ECONNRESET" || cause?.code === "UND_ERR_SOCKET";
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code);
}
