import { randomBytes, randomUUID } from "node:crypto";
import {
  DomainError,
  ROLES,
  appendAudit,
  enqueueEvent,
  isUuid,
  parseInput,
  requireInternal,
  requireRole,
  withIdempotency,
  type Database,
  type Logger,
  type Principal,
  type TokenService,
} from "@lotgraph/kit";
import { z } from "zod";
import {
  countUsers,
  emailTaken,
  findUserByEmailWithHash,
  findUserByIdWithHash,
  insertServiceAccount,
  insertUser,
  serviceAccountNameTaken,
  type IdentityClient,
  type IdentityTx,
} from "../store/user-store.ts";
import { DUMMY_HASH, MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from "./passwords.ts";
import { SIGNING_LOCKOUT, afterFailure, isLockedOut } from "./signing-lockout.ts";
import { findSigningAttempts, lockSigningAttempts, saveSigningAttempts } from "../store/signing-store.ts";
import type { ServiceAccountRecord, UserRecord } from "./records.ts";

/** A sign-in lasts one long shift. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
export const FIRST_ADMIN_EMAIL = "admin@lotgraph.local";
const SYSTEM_ACTOR = { id: "system", name: "Lotgraph" };

const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, "at least one role")
  .refine((r) => new Set(r).size === r.length, "roles repeat");

const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("not an email address")),
  name: z.string().trim().min(1, "required").max(200),
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
  roles: rolesSchema,
  idempotencyKey: z.string().min(1).max(200).nullish(),
});

const createServiceAccountSchema = z.object({
  name: z.string().trim().min(1, "required").max(200),
  roles: rolesSchema,
  idempotencyKey: z.string().min(1).max(200).nullish(),
});

const verifySignatureSchema = z.object({
  userId: z.string().trim().min(1, "required").max(200),
  password: z.string().max(200),
});

export interface SignatureResult {
  valid: boolean;
  user: UserRecord | null;
  /** Set while the signer is locked out of signing. */
  lockedUntil: Date | null;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: UserRecord;
}

/** Identity's rules: sign-in, users, service accounts and the first admin. */
export class IdentityService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly tokens: TokenService,
    private readonly logger: Logger,
  ) {}

  /** Wrong email and wrong password fail the same way, in the same time. */
  async login(input: { email: string; password: string }): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const found = await findUserByEmailWithHash(this.db.client, email);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok) throw new DomainError("UNAUTHENTICATED", "wrong email or password");
    const { passwordHash: _hash, ...user } = found;
    const token = await this.tokens.sign(
      { id: user.id, name: user.name, kind: "user", roles: user.roles },
      SESSION_TTL_SECONDS,
    );
    return { token, expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000), user };
  }

  /**
   * Checks an electronic signature for another service (quality's releases and dispositions): the
   * signer's re-entered password. An unknown user is compared against a dummy hash, so the answer
   * takes as long and says only valid: false. Five wrong passwords within 15 minutes lock the
   * signer out of signing for 15 minutes (`lockedUntil`; even the right password is refused
   * meanwhile). Every attempt, failed and refused ones included, is audited on the user (21 CFR
   * Part 11), never with the password, in the transaction that counts it.
   */
  async verifySignature(caller: Principal | null, rawInput: unknown): Promise<SignatureResult> {
    const service = requireInternal(caller);
    const input = parseInput(verifySignatureSchema, rawInput);
    const found = isUuid(input.userId) ? await findUserByIdWithHash(this.db.client, input.userId) : null;
    const audit = (tx: IdentityTx, action: string, reason: string | null, after: Record<string, unknown>) =>
      appendAudit(tx, {
        // The signer is the one acting; the service only carried the password.
        actor: found ? { id: found.id, name: found.name } : { id: service.id, name: service.name },
        action,
        entityType: "User",
        entityId: input.userId,
        reason,
        after: { ...after, via: service.name },
      });
    if (!found) {
      await verifyPassword(input.password, DUMMY_HASH);
      await this.db.transaction((tx) => audit(tx, "signature.failed", "unknown user", { valid: false }));
      return { valid: false, user: null, lockedUntil: null };
    }
    // Locked: refused without looking at the password.
    const known = await findSigningAttempts(this.db.client, found.id);
    if (isLockedOut(known, new Date())) {
      await this.db.transaction((tx) =>
        audit(tx, "signature.refused", "signing locked after repeated wrong passwords", {
          valid: false,
          lockedUntil: known?.lockedUntil,
        }),
      );
      return { valid: false, user: null, lockedUntil: known?.lockedUntil ?? null };
    }
    const matches = await verifyPassword(input.password, found.passwordHash);
    const { passwordHash: _hash, ...user } = found;
    return this.db.transaction(async (tx) => {
      const now = new Date();
      // Counted under the signer's row lock: concurrent wrong attempts each count once.
      const state = await lockSigningAttempts(tx, found.id, now);
      if (isLockedOut(state, now)) {
        await audit(tx, "signature.refused", "signing locked after repeated wrong passwords", {
          valid: false,
          lockedUntil: state.lockedUntil,
        });
        return { valid: false, user: null, lockedUntil: state.lockedUntil };
      }
      if (matches) {
        await saveSigningAttempts(tx, found.id, { failures: 0, windowStart: now, lockedUntil: null });
        await audit(tx, "signature.verified", null, { valid: true });
        return { valid: true, user, lockedUntil: null };
      }
      const { next, lockedOut } = afterFailure(state, now);
      await saveSigningAttempts(tx, found.id, next);
      await audit(tx, "signature.failed", null, {
        valid: false,
        failuresInWindow: lockedOut ? SIGNING_LOCKOUT.failures : next.failures,
      });
      if (lockedOut)
        await audit(
          tx,
          "signature.lockedOut",
          `${SIGNING_LOCKOUT.failures} wrong signature passwords within 15 minutes`,
          {
            lockedUntil: next.lockedUntil,
          },
        );
      return { valid: false, user: null, lockedUntil: lockedOut ? next.lockedUntil : null };
    });
  }

  async createUser(caller: Principal | null, rawInput: unknown): Promise<UserRecord> {
    const actor = requireRole(caller, "ADMIN");
    const input = parseInput(createUserSchema, rawInput);
    const passwordHash = await hashPassword(input.password);
    const { password: _password, idempotencyKey, ...request } = input;
    return this.db
      .transaction((tx) =>
        withIdempotency(tx, "createUser", idempotencyKey, request, async () => {
          if (await emailTaken(tx, input.email)) {
            throw new DomainError("CONFLICT", `a user with email ${input.email} already exists`, { field: "email" });
          }
          return this.#insertUser(tx, { ...request, passwordHash }, actor);
        }),
      )
      .then(reviveUser);
  }

  async createServiceAccount(
    caller: Principal | null,
    rawInput: unknown,
  ): Promise<{ serviceAccount: ServiceAccountRecord; token: string }> {
    const actor = requireRole(caller, "ADMIN");
    const { idempotencyKey, ...input } = parseInput(createServiceAccountSchema, rawInput);
    const account = reviveAccount(
      await this.db.transaction((tx) =>
        withIdempotency(tx, "createServiceAccount", idempotencyKey, input, async () => {
          if (await serviceAccountNameTaken(tx, input.name)) {
            throw new DomainError("CONFLICT", `a service account named ${input.name} already exists`, {
              field: "name",
            });
          }
          const created = await insertServiceAccount(tx, { id: randomUUID(), ...input, createdById: actor.id });
          await appendAudit(tx, {
            actor,
            action: "serviceAccount.created",
            entityType: "ServiceAccount",
            entityId: created.id,
            after: { name: created.name, roles: created.roles },
          });
          await enqueueEvent(tx, {
            subject: "lotgraph.identity.serviceAccount.created",
            entityType: "ServiceAccount",
            entityId: created.id,
          });
          return created;
        }),
      ),
    );
    // Not stored with the idempotency record (it is a credential); a retry gets a fresh token
    // for the same account.
    const token = await this.tokens.sign(
      { id: account.id, name: account.name, kind: "service-account", roles: account.roles },
      null,
    );
    return { serviceAccount: account, token };
  }

  /**
   * Creates the first admin when there is no user yet. The password comes from
   * LOTGRAPH_ADMIN_PASSWORD or is generated and returned once for the operator to note down.
   */
  async ensureFirstAdmin(
    configuredPassword: string | undefined,
  ): Promise<{ email: string; generatedPassword: string | null } | null> {
    if ((await countUsers(this.db.client)) > 0) return null;
    const password = configuredPassword ?? randomBytes(12).toString("base64url");
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError(
        "BAD_USER_INPUT",
        `LOTGRAPH_ADMIN_PASSWORD must have at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      if ((await countUsers(tx)) > 0) return; // another replica was first
      await this.#insertUser(
        tx,
        { email: FIRST_ADMIN_EMAIL, name: "Administrator", roles: ["ADMIN"], passwordHash },
        SYSTEM_ACTOR,
      );
    });
    this.logger.info({ email: FIRST_ADMIN_EMAIL }, "first admin created");
    return { email: FIRST_ADMIN_EMAIL, generatedPassword: configuredPassword ? null : password };
  }

  async #insertUser(
    tx: IdentityTx,
    user: { email: string; name: string; roles: UserRecord["roles"]; passwordHash: string },
    actor: { id: string; name: string },
  ): Promise<UserRecord> {
    const created = await insertUser(tx, {
      id: randomUUID(),
      createdAt: new Date(),
      createdById: actor.id === SYSTEM_ACTOR.id ? null : actor.id,
      ...user,
    });
    await appendAudit(tx, {
      actor,
      action: "user.created",
      entityType: "User",
      entityId: created.id,
      after: { email: created.email, name: created.name, roles: created.roles },
    });
    await enqueueEvent(tx, { subject: "lotgraph.identity.user.created", entityType: "User", entityId: created.id });
    return created;
  }
}

/** Idempotent replays come back as JSON: dates as strings. */
function reviveUser(user: UserRecord): UserRecord {
  return { ...user, createdAt: new Date(user.createdAt) };
}

function reviveAccount(account: ServiceAccountRecord): ServiceAccountRecord {
  return { ...account, createdAt: new Date(account.createdAt) };
}
