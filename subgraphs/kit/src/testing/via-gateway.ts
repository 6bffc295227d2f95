import { GATEWAY_PROOF_HEADER } from "../auth/gateway-proof.ts";
import type { TokenService } from "../auth/tokens.ts";

/**
 * The headers of a request that comes through the gateway: its proof, and the caller's token if
 * any. Subgraph tests that call a subgraph as a person would (through the gateway) send these.
 */
export async function viaGateway(tokens: TokenService, token?: string | null): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    [GATEWAY_PROOF_HEADER]: await tokens.internalToken("gateway"),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}
