import { randomBytes, randomUUID } from "node:crypto";
import {
  DomainError,
  command,
  idempotencyKey,
  flushRecords,
  pendingRecords,
  readPage,
  toConnection,
  requireRole,
  type CommandScope,
  type Connection,
  type Database,
  type Logger,
  type PageArgs,
  type Principal,
  type TokenService,
} from "@lotgraph/kit";
import { z } from "zod";
import {
  countUsers,
  emailTaken,
  findUsersByIds,
  insertUser,
  listServiceAccounts,
  pageUsers,
  type IdentityClient,
  type IdentityTx,
} from "../store/user-store.ts";
import { newPasswordSchema, rolesSchema } from "./inputs.ts";
import { passwordProblem } from "./password-policy.ts";
import type { PasswordHasher } from "./passwords.ts";
import type { ServiceAccountRecord, UserRecord } from "./records.ts";

export const FIRST_ADMIN_EMAIL = "admin@lotgraph.local";
const SYSTEM_ACTOR = { id: "system", name: "Lotgraph" };

const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("not an email address")),
  name: z.string().trim().min(1, "required").max(200),
  password: newPasswordSchema,
  roles: rolesSchema,
  idempotencyKey,
});

/**
 * Identity's rules for creating and listing people, and the first admin. Elsewhere: sign-in
 * (sign-in.ts), a person's later changes (user-lifecycle.ts), service accounts
 * (service-accounts.ts), signatures (signatures.ts).
 */
export class IdentityService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly tokens: TokenService,
    private readonly passwords: PasswordHasher,
    private readonly logger: Logger,
  ) {}

  createUser(caller: Principal | null, rawInput: unknown): Promise<UserRecord> {
    return command(this.db, caller, rawInput, {
      name: "createUser",
      role: "ADMIN",
      input: createUserSchema,
      // The password is not part of the request: it is never stored, not even hashed, with the key.
      request: ({ password: _password, idempotencyKey: _key, ...request }) => request,
      // Hashing is slow on purpose: outside the transaction, and not at all for a replay.
      prepare: (input) => this.passwords.hash(input.password),
      run: async ({ tx, input, actor, record, prepared: passwordHash }) => {
        if (await emailTaken(tx, input.email)) {
          throw new DomainError("CONFLICT", `a user with email ${input.email} already exists`, { field: "email" });
        }
        const { email, name, roles } = input;
        return (await insertUserRecorded({ tx, actor, record }, { email, name, roles, passwordHash })).id;
      },
      reload: (userId, { tx }) => userById(tx, userId),
      // This process knows the person from the response on (others fetch on their first token).
      settle: async () => void (await this.tokens.registry?.refreshNow()),
    });
  }

  /** People by name, for administrators and auditors (who may also read any user by id). */
  async users(
    caller: Principal | null,
    args: PageArgs,
    updatedSince: Date | null = null,
  ): Promise<Connection<UserRecord>> {
    requireRole(caller, "ADMIN", "AUDITOR");
    const page = readPage(args);
    const key = page.after;
    if (key && key.length !== 2)
      throw new DomainError("BAD_USER_INPUT", "after is not a cursor of users", { field: "after" });
    const { rows, total } = await pageUsers(this.db.client, key as [string, string] | null, page.limit, updatedSince);
    return toConnection(rows, page, (user) => [user.name, user.id], total);
  }

  async serviceAccounts(caller: Principal | null): Promise<ServiceAccountRecord[]> {
    requireRole(caller, "ADMIN", "AUDITOR");
    return listServiceAccounts(this.db.client);
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
    const problem = passwordProblem(password);
    if (problem) throw new DomainError("BAD_USER_INPUT", `LOTGRAPH_ADMIN_PASSWORD: ${problem}`);
    const passwordHash = await this.passwords.hash(password);
    await this.db.transaction(async (tx) => {
      if ((await countUsers(tx)) > 0) return; // another replica was first
      // Not a command (no caller): the same recorder, written by hand in this transaction.
      const record = pendingRecords();
      const admin = { email: FIRST_ADMIN_EMAIL, name: "Administrator", roles: ["ADMIN" as const], passwordHash };
      await insertUserRecorded({ tx, actor: SYSTEM_ACTOR, record }, admin);
      await flushRecords(tx, SYSTEM_ACTOR, record);
    });
    await this.tokens.registry?.refreshNow();
    this.logger.info({ email: FIRST_ADMIN_EMAIL }, "first admin created");
    return { email: FIRST_ADMIN_EMAIL, generatedPassword: configuredPassword ? null : password };
  }
}

async function userById(tx: IdentityTx, userId: string): Promise<UserRecord> {
  const [user] = await findUsersByIds(tx, [userId]);
  if (!user) throw new Error(`user ${userId} vanished right after a command wrote it`);
  return user;
}

/** Writes a user with its audit entry and `user.created` event (the first admin's actor is the system). */
async function insertUserRecorded(
  scope: CommandScope<IdentityTx>,
  user: { email: string; name: string; roles: UserRecord["roles"]; passwordHash: string },
): Promise<UserRecord> {
  const created = await insertUser(scope.tx, {
    id: randomUUID(),
    createdAt: new Date(),
    createdById: scope.actor.id === SYSTEM_ACTOR.id ? null : scope.actor.id,
    deactivatedAt: null,
    ...user,
  });
  scope.record.audit({
    action: "user.created",
    entityType: "User",
    entityId: created.id,
    after: { email: created.email, name: created.name, roles: created.roles },
  });
  scope.record.event({ subject: "lotgraph.identity.user.created", entityType: "User", entityId: created.id });
  return created;
}
