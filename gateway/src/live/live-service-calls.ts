import type { Role, TokenService } from "@lotgraph/kit";
import type { DirectCall } from "../direct-call.ts";

/** How long a live service token lives, and how early before its expiry a new one is signed. */
const TOKEN_TTL_SECONDS = 300;
const TOKEN_RENEW_MS = 60_000;

/** A live group's caller: a service account holding exactly the group's roles, and its token. */
export type LiveCaller = Omit<DirectCall, "requestId">;

/**
 * The callers live executions run as. A group of subscribers shares one execution, so no single
 * subscriber's token can be forwarded (it may expire or be revoked while others stay). The
 * gateway signs a short-lived service-account token holding exactly the group's roles, once per
 * role set, and a new one a minute before it expires: the subgraphs verify it and answer as they
 * would answer any of the group's members (docs/decisions/0010). The gateway itself never
 * verifies it: it runs the execution with this caller directly.
 */
export class LiveServiceCalls {
  readonly #signed = new Map<string, { caller: Promise<LiveCaller>; renewAt: number }>();

  constructor(private readonly tokens: TokenService) {}

  callerFor(roles: readonly Role[]): Promise<LiveCaller> {
    const sorted = [...roles].sort();
    const key = sorted.join(",");
    const cached = this.#signed.get(key);
    if (cached && cached.renewAt > Date.now()) return cached.caller;
    const principal = { id: `live:${key}`, name: "live updates", kind: "service-account" as const, roles: sorted };
    const caller = this.tokens.sign(principal, TOKEN_TTL_SECONDS).then((token) => ({ principal, token }));
    this.#signed.set(key, { caller, renewAt: Date.now() + TOKEN_TTL_SECONDS * 1000 - TOKEN_RENEW_MS });
    // A failed signature is not remembered: the next execution tries again.
    caller.catch(() => {
      if (this.#signed.get(key)?.caller === caller) this.#signed.delete(key);
    });
    return caller;
  }
}
