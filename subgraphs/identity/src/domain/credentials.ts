import {
  isUuid,
  parseInput,
  requireInternal,
  type CredentialSource,
  type CredentialStatus,
  type CredentialUse,
  type Database,
  type Principal,
} from "@lotgraph/kit";
import { z } from "zod";
import { credentialRows, recordServiceAccountUses, type IdentityClient, type IdentityTx } from "../store/user-store.ts";

const syncSchema = z.object({
  uses: z
    .array(z.object({ id: z.string().max(100), at: z.coerce.date() }))
    .max(10_000)
    .default([]),
});

/**
 * The credential list every process checks tokens against (docs/decisions/0019): each person and
 * service account, whether it still counts, its roles now and (service accounts) the one token
 * id accepted. An expired service-account token needs no entry: its own `exp` ends it.
 */
export class CredentialDirectory {
  constructor(private readonly db: Database<IdentityClient, IdentityTx>) {}

  /** Identity's own process reads its database directly. */
  readonly source: CredentialSource = (uses) => this.#sync(uses);

  /**
   * Another process's fetch (internal `syncCredentials`): records the service-account uses it
   * saw, then returns the list. `lastUsedAt` is bookkeeping, not a change anyone made, so it
   * writes no audit entry (one per call would bury the audit trail).
   */
  async sync(caller: Principal | null, rawInput: unknown): Promise<CredentialStatus[]> {
    requireInternal(caller);
    const { uses } = parseInput(syncSchema, rawInput);
    return this.#sync(uses.filter((use) => isUuid(use.id)));
  }

  async #sync(uses: CredentialUse[]): Promise<CredentialStatus[]> {
    // A clock ahead of this one must not put a use in the future.
    const now = Date.now();
    await recordServiceAccountUses(
      this.db.client,
      uses.map((use) => ({ id: use.id, at: new Date(Math.min(use.at.getTime(), now)) })),
    );
    const { users, accounts } = await credentialRows(this.db.client);
    return [
      ...users.map((user): CredentialStatus => ({
        id: user.id,
        kind: "user",
        name: user.name,
        roles: user.roles,
        active: user.deactivatedAt === null,
        tokenId: null,
        trustedDocumentsOnly: false,
      })),
      ...accounts.map((account): CredentialStatus => ({
        id: account.id,
        kind: "service-account",
        name: account.name,
        roles: account.roles,
        active: account.revokedAt === null && (account.expiresAt === null || account.expiresAt.getTime() > now),
        tokenId: account.tokenId,
        trustedDocumentsOnly: account.trustedDocumentsOnly,
      })),
    ];
  }
}
