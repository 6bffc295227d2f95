import { DomainError, bearerToken, type Principal, type TokenService } from "@lotgraph/kit";
import { createGraphQLError, type Plugin } from "graphql-yoga";

/**
 * Checks the bearer token of every HTTP request at the edge, before the gateway plans anything:
 * a request with a token that does not verify is refused with 401 UNAUTHENTICATED; a request
 * without one goes on (sign-in needs none), and the subgraphs refuse what needs a caller.
 *
 * It verifies through the TokenService, whose cache of verified tokens (checked for expiry on
 * every hit) spares each request of a session the HMAC and the claims check (decision 0018). It
 * replaces @graphql-yoga/plugin-jwt, which ran jsonwebtoken's full verification on every request.
 * Operations over graphql-ws carry their socket's session instead and never reach this hook.
 */
export function useBearerCheck(tokens: TokenService): Plugin<Record<string, unknown>> {
  return {
    async onRequestParse({ request }) {
      const header = request.headers.get("authorization");
      if (header === null) return;
      const token = bearerToken(header);
      if (!token) throw refused("The Authorization header must be `Bearer <token>`.");
      const principal = await verified(tokens, token);
      if (!principal) throw refused("Your session is not valid or has expired: sign in again.");
      callers.set(request, principal);
    },
  };
}

/** Each checked request's caller, for the edge's later hooks (rate limits, introspection). */
const callers = new WeakMap<Request, Principal>();

/** The caller whose token the bearer check accepted for `request`; null without a token. */
export function callerOf(request: Request): Principal | null {
  return callers.get(request) ?? null;
}

/** The token's caller, or null; SERVICE_UNAVAILABLE (503) while identity's credential list cannot be had. */
async function verified(tokens: TokenService, token: string) {
  try {
    return await tokens.verify(token);
  } catch (error) {
    if (error instanceof DomainError && error.code === "SERVICE_UNAVAILABLE") {
      throw createGraphQLError(error.message, {
        extensions: { code: "SERVICE_UNAVAILABLE", http: { status: 503, headers: { "Retry-After": "5" } } },
      });
    }
    throw error;
  }
}

function refused(message: string): Error {
  return createGraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}
