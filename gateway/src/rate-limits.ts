import type { IncomingMessage } from "node:http";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { GraphQLError } from "graphql";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { callerOf } from "./bearer-check.ts";

/** How many requests (and subscriptions) a minute one caller may make; 0 turns a limit off. */
export interface RateLimits {
  /** Per signed-in principal (person or service account), whatever address it calls from. */
  perPrincipalPerMinute: number;
  /** Per network address, for requests without a token (sign-in, the login page). */
  perAddressPerMinute: number;
}

/**
 * 50 a second for a principal: a busy screen or a bulk ERP import stays well below it, a runaway
 * script does not. 10 a second for an address without a token: sign-in and nothing else.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { perPrincipalPerMinute: 3_000, perAddressPerMinute: 600 };

/** Who a request counts against: its principal when its token verifies, else its address. */
export type RateKey = { principal: string } | { address: string };

/**
 * Requests per caller per minute (a window opens with the caller's first request), in this
 * process's memory: each gateway replica counts its own, so behind a load balancer a caller gets
 * the limit once per replica. rate-limiter-flexible keeps a counter per key and forgets it when
 * its window is over.
 */
export class CallerRateLimiter {
  readonly #principals: RateLimiterMemory | null;
  readonly #addresses: RateLimiterMemory | null;

  constructor(limits: RateLimits) {
    this.#principals = limiterOf(limits.perPrincipalPerMinute);
    this.#addresses = limiterOf(limits.perAddressPerMinute);
  }

  /** Counts one request; resolves to the seconds to wait when the caller is over its limit, else null. */
  async take(key: RateKey): Promise<number | null> {
    const [limiter, id] = "principal" in key ? [this.#principals, key.principal] : [this.#addresses, key.address];
    if (!limiter) return null;
    try {
      await limiter.consume(id);
      return null;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }
}

function limiterOf(perMinute: number): RateLimiterMemory | null {
  return perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: 60 }) : null;
}

/**
 * Counts every HTTP request to /graphql (queries, mutations, subscriptions over server-sent
 * events) against its caller, after the bearer check: 429 with Retry-After and RATE_LIMITED
 * when the caller is over its limit. Subscriptions over graphql-ws count in live-sockets.ts.
 */
export function useRateLimits(limiter: CallerRateLimiter): Plugin<Record<string, unknown>> {
  return {
    async onRequestParse({ request, serverContext }) {
      const principal = callerOf(request);
      const address = (serverContext as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? "unknown";
      const wait = await limiter.take(principal ? { principal: principal.id } : { address });
      if (wait !== null) throw rateLimited(wait, true);
    },
  };
}

/** The refusal of a caller over its limit (with the HTTP status and header when it answers a request). */
export function rateLimited(retryAfterSeconds: number, http = false): GraphQLError {
  return createGraphQLError(`too many requests: try again in ${retryAfterSeconds} s`, {
    extensions: {
      code: "RATE_LIMITED",
      retryAfterSeconds,
      ...(http && { http: { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } } }),
    },
  });
}
