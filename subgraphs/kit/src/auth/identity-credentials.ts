import type { Logger } from "../logger.ts";
import { SubgraphClient } from "../server/subgraph-client.ts";
import { CredentialRegistry, type CredentialSource, type CredentialStatus } from "./credential-registry.ts";
import type { TokenService } from "./tokens.ts";

const SYNC_CREDENTIALS = /* GraphQL */ `
  mutation SyncCredentials($input: SyncCredentialsInput!) {
    syncCredentials(input: $input) {
      credentials {
        id
        kind
        name
        roles
        active
        tokenId
        trustedDocumentsOnly
      }
    }
  }
`;

/**
 * The credential list as identity serves it to the other processes (its internal
 * `syncCredentials`, with this process's service token), handing over the service-account uses
 * seen here since the last call.
 */
export function identityCredentialSource(options: {
  caller: string;
  identityUrl: () => string;
  tokens: TokenService;
}): CredentialSource {
  const client = new SubgraphClient({ caller: options.caller, url: options.identityUrl, tokens: options.tokens });
  return async (uses) => {
    const data = await client.request<{
      syncCredentials: { credentials: Array<Omit<CredentialStatus, "kind"> & { kind: "USER" | "SERVICE_ACCOUNT" }> };
    }>(SYNC_CREDENTIALS, { input: { uses: uses.map((use) => ({ id: use.id, at: use.at.toISOString() })) } });
    return data.syncCredentials.credentials.map((c) => ({
      ...c,
      kind: c.kind === "USER" ? ("user" as const) : ("service-account" as const),
    }));
  };
}

/**
 * Makes `tokens` check every verified token against identity's list, fetched from identity's
 * URL every `refreshMs` (a process other than identity: a subgraph in services mode, a gateway
 * of its own). Starts the refresh; the caller stops the returned registry when it shuts down.
 */
export function useIdentityCredentials(
  tokens: TokenService,
  options: { caller: string; identityUrl: () => string; refreshMs: number; logger: Logger },
): CredentialRegistry {
  const registry = new CredentialRegistry(
    identityCredentialSource({ caller: options.caller, identityUrl: options.identityUrl, tokens }),
    { refreshMs: options.refreshMs, logger: options.logger.child({ component: "credentials" }) },
  );
  tokens.useRegistry(registry);
  registry.start();
  return registry;
}
