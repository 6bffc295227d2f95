import { randomUUID } from "node:crypto";
import { DomainError, command, idempotencyKey, type Database, type Principal, type TokenService } from "@lotgraph/kit";
import { z } from "zod";
import {
  findServiceAccountsByIds,
  insertServiceAccount,
  lockServiceAccount,
  serviceAccountNameTaken,
  updateServiceAccountRow,
  type IdentityClient,
  type IdentityTx,
} from "../store/user-store.ts";
import { rolesSchema } from "./inputs.ts";
import type { ServiceAccountRecord } from "./records.ts";

/** A service account's token lasts this long unless the administrator says otherwise. */
export const DEFAULT_TOKEN_DAYS = 90;
/** Two years: longer would make a leaked token a standing credential again. */
export const MAX_TOKEN_DAYS = 730;
const DAY_MS = 86_400_000;

const expiresInDays = z
  .number()
  .int("a whole number of days")
  .min(1, "at least 1 day")
  .max(MAX_TOKEN_DAYS, `at most ${MAX_TOKEN_DAYS} days`)
  .nullish()
  .transform((days) => days ?? DEFAULT_TOKEN_DAYS);
const accountId = z.uuid("not a service account id");

const createSchema = z.object({
  name: z.string().trim().min(1, "required").max(200),
  roles: rolesSchema,
  expiresInDays,
  trustedDocumentsOnly: z
    .boolean()
    .nullish()
    .transform((only) => only ?? false),
  idempotencyKey,
});
const rotateSchema = z.object({ serviceAccountId: accountId, expiresInDays, idempotencyKey });
const revokeSchema = z.object({ serviceAccountId: accountId, idempotencyKey });

/** What a create or a rotation stores for a replay: the token it issued, by id and expiry. */
type IssuedRef = { accountId: string; tokenId: string; expiresAt: string };

/**
 * Service accounts and their tokens: each token has an id and an expiry; rotating issues a new
 * one and ends the old; revoking ends the account. Every process checks the current token id
 * against identity's credential list (docs/decisions/0019), so an ended token stops working
 * within the refresh bound; in identity's own process at once, after commit.
 */
export class ServiceAccountService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly tokens: TokenService,
  ) {}

  create(
    caller: Principal | null,
    rawInput: unknown,
  ): Promise<{ serviceAccount: ServiceAccountRecord; token: string }> {
    return command(this.db, caller, rawInput, {
      name: "createServiceAccount",
      role: "ADMIN",
      input: createSchema,
      run: async ({ tx, input, actor, record }): Promise<IssuedRef> => {
        if (await serviceAccountNameTaken(tx, input.name)) {
          throw new DomainError("CONFLICT", `a service account named ${input.name} already exists`, {
            field: "name",
          });
        }
        const issued = { tokenId: randomUUID(), expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS) };
        const created = await insertServiceAccount(tx, {
          id: randomUUID(),
          name: input.name,
          roles: input.roles,
          createdById: actor.id,
          trustedDocumentsOnly: input.trustedDocumentsOnly,
          ...issued,
        });
        record.audit({
          action: "serviceAccount.created",
          entityType: "ServiceAccount",
          entityId: created.id,
          after: {
            name: created.name,
            roles: created.roles,
            expiresAt: issued.expiresAt.toISOString(),
            trustedDocumentsOnly: input.trustedDocumentsOnly,
          },
        });
        record.event({
          subject: "lotgraph.identity.serviceAccount.created",
          entityType: "ServiceAccount",
          entityId: created.id,
        });
        return { accountId: created.id, tokenId: issued.tokenId, expiresAt: issued.expiresAt.toISOString() };
      },
      // The token is not stored with the idempotency key (it is a credential): a replay signs
      // the same token id and expiry again, which is the same credential.
      reload: (ref, { tx }) => this.#issued(tx, ref),
      settle: () => this.#applyNow(),
    });
  }

  rotateToken(caller: Principal | null, rawInput: unknown): Promise<{ token: string }> {
    return command(this.db, caller, rawInput, {
      name: "rotateServiceAccountToken",
      role: "ADMIN",
      input: rotateSchema,
      run: async ({ tx, input, record }): Promise<IssuedRef> => {
        const account = await this.#lockActive(tx, input.serviceAccountId);
        const issued = { tokenId: randomUUID(), expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS) };
        await updateServiceAccountRow(tx, account.id, issued);
        record.audit({
          action: "serviceAccount.tokenRotated",
          entityType: "ServiceAccount",
          entityId: account.id,
          reason: "the previous token stops working",
          before: { expiresAt: account.expiresAt?.toISOString() ?? null },
          after: { expiresAt: issued.expiresAt.toISOString() },
        });
        record.event({
          subject: "lotgraph.identity.serviceAccount.rotated",
          entityType: "ServiceAccount",
          entityId: account.id,
        });
        return { accountId: account.id, tokenId: issued.tokenId, expiresAt: issued.expiresAt.toISOString() };
      },
      reload: async (ref, { tx }) => ({ token: (await this.#issued(tx, ref)).token }),
      settle: () => this.#applyNow(),
    });
  }

  revoke(caller: Principal | null, rawInput: unknown): Promise<ServiceAccountRecord> {
    return command(this.db, caller, rawInput, {
      name: "revokeServiceAccount",
      role: "ADMIN",
      input: revokeSchema,
      run: async ({ tx, input, actor, record }) => {
        const account = await this.#lockActive(tx, input.serviceAccountId);
        const revokedAt = new Date();
        await updateServiceAccountRow(tx, account.id, { revokedAt, revokedById: actor.id });
        record.audit({
          action: "serviceAccount.revoked",
          entityType: "ServiceAccount",
          entityId: account.id,
          after: { revokedAt: revokedAt.toISOString() },
        });
        record.event({
          subject: "lotgraph.identity.serviceAccount.revoked",
          entityType: "ServiceAccount",
          entityId: account.id,
        });
        return account.id;
      },
      reload: (id, { tx }) => accountById(tx, id),
      settle: () => this.#applyNow(),
    });
  }

  /** The account, locked; NOT_FOUND when there is none, CONFLICT once it is revoked. */
  async #lockActive(tx: IdentityTx, id: string): Promise<ServiceAccountRecord> {
    const account = await lockServiceAccount(tx, id);
    if (!account) throw new DomainError("NOT_FOUND", `no service account ${id}`, { field: "serviceAccountId" });
    if (account.revokedAt) {
      throw new DomainError(
        "CONFLICT",
        `service account ${account.name} was revoked on ${account.revokedAt.toISOString()}`,
        {
          field: "serviceAccountId",
        },
      );
    }
    return account;
  }

  async #issued(tx: IdentityTx, ref: IssuedRef): Promise<{ serviceAccount: ServiceAccountRecord; token: string }> {
    const account = await accountById(tx, ref.accountId);
    const expiresAt = new Date(ref.expiresAt);
    const ttlSeconds = Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
    const principal = { id: account.id, name: account.name, kind: "service-account" as const, roles: account.roles };
    return { serviceAccount: account, token: await this.tokens.sign(principal, ttlSeconds, ref.tokenId) };
  }

  /** This process's credential list, refreshed now: the change counts here from the response on. */
  async #applyNow(): Promise<void> {
    await this.tokens.registry?.refreshNow();
  }
}

/** Whether an account's token works now: revoked outranks expired. */
export function serviceAccountStatus(
  account: Pick<ServiceAccountRecord, "revokedAt" | "expiresAt">,
  now: Date,
): "ACTIVE" | "EXPIRED" | "REVOKED" {
  if (account.revokedAt) return "REVOKED";
  if (account.expiresAt && account.expiresAt.getTime() <= now.getTime()) return "EXPIRED";
  return "ACTIVE";
}

async function accountById(tx: IdentityTx, id: string): Promise<ServiceAccountRecord> {
  const [account] = await findServiceAccountsByIds(tx, [id]);
  if (!account) throw new Error(`service account ${id} vanished right after a command wrote it`);
  return account;
}
