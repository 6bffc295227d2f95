import { bearerToken, type TokenService } from "./tokens.ts";

/**
 * The header with which the gateway proves that a request to a subgraph is its own: a short-lived
 * internal token of the service `gateway`. The caller's own token, if any, travels beside it in
 * Authorization, as the gateway forwarded it.
 */
export const GATEWAY_PROOF_HEADER = "x-lotgraph-gateway";

const GATEWAY_ID = "service:gateway";
/** A proof token lives 5 minutes (TokenService.internalToken); a new one is signed with 2 left. */
const RENEW_BEFORE_MS = 2 * 60_000;
const TTL_MS = 5 * 60_000;

/**
 * The gateway's proof, renewed before it expires. Reading it is synchronous (it goes on every
 * subgraph fetch): a renewal due runs in the background while the current, still valid, token
 * keeps being used.
 */
export class GatewayCredential {
  #token: string;
  #renewAt: number;
  #renewing: Promise<void> | null = null;

  private constructor(
    private readonly tokens: TokenService,
    token: string,
  ) {
    this.#token = token;
    this.#renewAt = Date.now() + TTL_MS - RENEW_BEFORE_MS;
  }

  static async create(tokens: TokenService): Promise<GatewayCredential> {
    return new GatewayCredential(tokens, await tokens.internalToken("gateway"));
  }

  current(): string {
    if (Date.now() >= this.#renewAt && !this.#renewing) {
      this.#renewing = this.tokens
        .internalToken("gateway")
        .then((token) => {
          this.#token = token;
          this.#renewAt = Date.now() + TTL_MS - RENEW_BEFORE_MS;
        })
        .finally(() => (this.#renewing = null));
    }
    return this.#token;
  }
}

/**
 * Whether a request to a subgraph may be answered at all: it carries the gateway's proof, or a
 * Lotgraph service's own token (service-to-service calls). Anything else, anonymous or signed by
 * a person, a service account or an integrator, must go through the gateway and its limits.
 */
export async function isTrustedCaller(tokens: TokenService, headers: Headers): Promise<boolean> {
  const proof = headers.get(GATEWAY_PROOF_HEADER);
  if (proof) {
    const gateway = await tokens.verify(proof);
    if (gateway?.kind === "internal" && gateway.id === GATEWAY_ID) return true;
  }
  const token = bearerToken(headers.get("authorization"));
  const caller = token ? await tokens.verify(token) : null;
  return caller?.kind === "internal";
}
