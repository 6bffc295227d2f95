import {
  DomainError,
  ROLES,
  appendAudit,
  command,
  idempotencyKey,
  type Database,
  type Principal,
  type TokenService,
} from "@lotgraph/kit";
import { z } from "zod";
import {
  findUserByIdWithHash,
  findUsersByIds,
  lockAdministration,
  lockUser,
  otherActiveAdmins,
  updateUserRow,
  type IdentityClient,
  type IdentityTx,
} from "../store/user-store.ts";
import { countAttempt, lockedUntil } from "./attempts.ts";
import { SIGN_IN_ACCOUNT_LOCKOUT, secondsUntil } from "./lockout.ts";
import { newPasswordSchema, rolesSchema } from "./inputs.ts";
import { MAX_PASSWORD_LENGTH, type PasswordHasher } from "./passwords.ts";
import type { UserRecord } from "./records.ts";

const userId = z.uuid("not a user id");

const updateSchema = z
  .object({
    userId,
    name: z.string().trim().min(1, "required").max(200).nullish(),
    roles: rolesSchema.nullish(),
    idempotencyKey,
  })
  .refine((input) => input.name != null || input.roles != null, "give a name, roles, or both");
const deactivateSchema = z.object({ userId, idempotencyKey });
const changePasswordSchema = z.object({
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH),
  newPassword: newPasswordSchema,
  idempotencyKey,
});

/**
 * A person's life after creation: an administrator renames them, changes their roles or
 * deactivates them; they change their own password. Roles and deactivation reach every process
 * through the credential list (docs/decisions/0019): in identity's process at once, elsewhere
 * within the refresh bound. Lotgraph always keeps one active administrator.
 */
export class UserLifecycleService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly tokens: TokenService,
    private readonly passwords: PasswordHasher,
  ) {}

  update(caller: Principal | null, rawInput: unknown): Promise<UserRecord> {
    return command(this.db, caller, rawInput, {
      name: "updateUser",
      role: "ADMIN",
      input: updateSchema,
      run: async ({ tx, input, record }) => {
        const user = await lockExisting(tx, input.userId);
        const name = input.name ?? user.name;
        const roles = input.roles ?? user.roles;
        if (user.roles.includes("ADMIN") && !roles.includes("ADMIN") && !user.deactivatedAt) {
          await requireAnotherAdmin(tx, user, "take the ADMIN role from");
        }
        if (name === user.name && sameRoles(roles, user.roles)) return user.id; // nothing to change
        await updateUserRow(tx, user.id, { name, roles });
        record.audit({
          action: "user.updated",
          entityType: "User",
          entityId: user.id,
          before: { name: user.name, roles: user.roles },
          after: { name, roles },
        });
        record.event({ subject: "lotgraph.identity.user.updated", entityType: "User", entityId: user.id });
        return user.id;
      },
      reload: (id, { tx }) => userById(tx, id),
      settle: () => this.#applyNow(),
    });
  }

  deactivate(caller: Principal | null, rawInput: unknown): Promise<UserRecord> {
    return command(this.db, caller, rawInput, {
      name: "deactivateUser",
      role: "ADMIN",
      input: deactivateSchema,
      run: async ({ tx, input, actor, record }) => {
        if (input.userId === actor.id) {
          throw new DomainError("CONFLICT", "you cannot deactivate yourself: ask another administrator", {
            field: "userId",
          });
        }
        const user = await lockExisting(tx, input.userId);
        if (user.deactivatedAt) {
          throw new DomainError("CONFLICT", `${user.name} was deactivated on ${user.deactivatedAt.toISOString()}`, {
            field: "userId",
          });
        }
        if (user.roles.includes("ADMIN")) await requireAnotherAdmin(tx, user, "deactivate");
        const deactivatedAt = new Date();
        await updateUserRow(tx, user.id, { deactivatedAt });
        record.audit({
          action: "user.deactivated",
          entityType: "User",
          entityId: user.id,
          reason: "signing in and every open session end",
          after: { deactivatedAt: deactivatedAt.toISOString() },
        });
        record.event({ subject: "lotgraph.identity.user.deactivated", entityType: "User", entityId: user.id });
        return user.id;
      },
      reload: (id, { tx }) => userById(tx, id),
      settle: () => this.#applyNow(),
    });
  }

  /**
   * The caller's own password, after the current one is re-entered. A wrong current password
   * counts as a failed sign-in of the account (five lock it for 15 minutes), so this is no way
   * around sign-in's throttle. Other sessions stay open (decision 0019).
   */
  changePassword(caller: Principal | null, rawInput: unknown): Promise<UserRecord> {
    // Before the input is looked at: whatever a service account sends, it has no password.
    if (caller && caller.kind !== "user") {
      throw new DomainError("FORBIDDEN", "only a person has a password; rotate a service account's token instead");
    }
    return command(this.db, caller, rawInput, {
      name: "changePassword",
      role: ROLES,
      input: changePasswordSchema,
      // Neither password is stored with the key, not even hashed.
      request: () => ({}),
      prepare: async (input, principal) => {
        const user = await findUserByIdWithHash(this.db.client, principal.id);
        if (!user) throw new DomainError("NOT_FOUND", "your account no longer exists");
        await this.#checkCurrentPassword(user, input.currentPassword);
        if (input.newPassword === input.currentPassword) {
          throw new DomainError("BAD_USER_INPUT", "the new password must differ from the current one", {
            field: "newPassword",
          });
        }
        return this.passwords.hash(input.newPassword);
      },
      run: async ({ tx, caller: principal, record, prepared: passwordHash }) => {
        const user = await lockExisting(tx, principal.id);
        await updateUserRow(tx, user.id, { passwordHash });
        record.audit({ action: "user.passwordChanged", entityType: "User", entityId: user.id });
        return user.id;
      },
      reload: (id, { tx }) => userById(tx, id),
    });
  }

  async #checkCurrentPassword(user: { id: string; email: string; name: string; passwordHash: string }, given: string) {
    const key = `sign-in:account:${user.email}`;
    const now = new Date();
    const until = await lockedUntil(this.db, key, now);
    if (until) {
      throw new DomainError(
        "RATE_LIMITED",
        `too many wrong passwords: try again in ${Math.ceil(secondsUntil(until, now) / 60)} minute(s)`,
        { retryAfterSeconds: secondsUntil(until, now), lockedUntil: until.toISOString() },
      );
    }
    const matches = await this.passwords.verify(given, user.passwordHash);
    await this.db.transaction(async (tx) => {
      const counted = await countAttempt(tx, key, SIGN_IN_ACCOUNT_LOCKOUT, matches, new Date());
      if (matches) return;
      await appendAudit(tx, {
        actor: { id: user.id, name: user.name },
        action: "user.passwordChangeFailed",
        entityType: "User",
        entityId: user.id,
        reason: "wrong current password",
        after: { failuresInWindow: counted.failures, lockedUntil: counted.lockedUntil?.toISOString() ?? null },
      });
    });
    if (!matches) {
      throw new DomainError("BAD_USER_INPUT", "the current password is wrong", { field: "currentPassword" });
    }
  }

  async #applyNow(): Promise<void> {
    await this.tokens.registry?.refreshNow();
  }
}

/** The person, locked, after the administration lock (see lockAdministration); NOT_FOUND without one. */
async function lockExisting(tx: IdentityTx, id: string): Promise<UserRecord> {
  await lockAdministration(tx);
  const user = await lockUser(tx, id);
  if (!user) throw new DomainError("NOT_FOUND", `no user ${id}`, { field: "userId" });
  return user;
}

/** Refuses to leave Lotgraph without an active administrator. */
async function requireAnotherAdmin(tx: IdentityTx, user: UserRecord, what: string): Promise<void> {
  if ((await otherActiveAdmins(tx, user.id)) > 0) return;
  throw new DomainError(
    "CONFLICT",
    `${user.name} is the last active administrator: make someone else ADMIN before you ${what} them`,
    { field: "userId" },
  );
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

async function userById(tx: IdentityTx, id: string): Promise<UserRecord> {
  const [user] = await findUsersByIds(tx, [id]);
  if (!user) throw new Error(`user ${id} vanished right after a command wrote it`);
  return user;
}
