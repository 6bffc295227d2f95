import { randomBytes, randomUUID } from "node:crypto";
import {
  DomainError,
  ROLES,
  appendAudit,
  enqueueEvent,
  readPage,
  toConnection,
  parseInput,
  requireRole,
  withIdempotency,
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
  insertServiceAccount,
  insertUser,
  listServiceAccounts,
  pageUsers,
  serviceAccountNameTaken,
  type IdentityClient,
  type IdentityTx,
} from "../store/user-store.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type PasswordHasher } from "./passwords.ts";
import type { ServiceAccountRecord, UserRecord } from "./records.ts";

export const FIRST_ADMIN_EMAIL = "admin@lotgraph.local";
const SYSTEM_ACTOR = { id: "system", name: "Lotgraph" };

const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, "at least one role")
  .refine((r) => new Set(r).size === r.length, "roles repeat");

const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("not an email address")),
  name: z.string().trim().min(1, "required").max(200),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`),
  roles: rolesSchema,
  idempotencyKey: z.string().min(1).max(200).nullish(),
});

const createServiceAccountSchema = z.object({
  name: z.string().trim().min(1, "required").max(200),
  roles: rolesSchema,
  idempotencyKey: z.string().min(1).max(200).nullish(),
});

/** Identity's rules: users, service accounts and the first admin (sign-in: sign-in.ts). */
export class IdentityService {
  constructor(
    private readonly db: Database<IdentityClient, IdentityTx>,
    private readonly tokens: TokenService,
    private readonly passwords: PasswordHasher,
    private readonly logger: Logger,
  ) {}

  async createUser(caller: Principal | null, rawInput: unknown): Promise<UserRecord> {
    const actor = requireRole(caller, "ADMIN");
    const input = parseInput(createUserSchema, rawInput);
    const passwordHash = await this.passwords.hash(input.password);
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

  /** People by name, for administrators and auditors (who may also read any user by id). */
  async users(caller: Principal | null, args: PageArgs): Promise<Connection<UserRecord>> {
    requireRole(caller, "ADMIN", "AUDITOR");
    const page = readPage(args);
    const key = page.after;
    if (key && key.length !== 2)
      throw new DomainError("BAD_USER_INPUT", "after is not a cursor of users", { field: "after" });
    const { rows, total } = await pageUsers(this.db.client, key as [string, string] | null, page.limit);
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
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError(
        "BAD_USER_INPUT",
        `LOTGRAPH_ADMIN_PASSWORD must have at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
    const passwordHash = await this.passwords.hash(password);
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
