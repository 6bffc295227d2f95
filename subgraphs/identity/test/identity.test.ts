import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaGateway } from "@lotgraph/kit/testing";
import { InProcessBus, TokenService, auditTrail, createLogger, loadEnv, type Principal } from "@lotgraph/kit";
import { createIdentitySubgraph, type IdentitySubgraph } from "../src/server.ts";

/** Identity through its GraphQL boundary (yoga in process, no network), on an in-memory PGlite. */
describe("identity subgraph", () => {
  const tokens = new TokenService("identity-test-secret-of-at-least-32-chars");
  let app: IdentitySubgraph;
  let adminPassword: string;

  type Result<T> = { data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  type LoginData = { login: { token: string; expiresAt: string; user: { email: string; roles: string[] } } };
  type CreateUserData = { createUser: { user: { id: string; email: string; name: string; roles: string[] } } };
  type ServiceAccountData = {
    createServiceAccount: {
      token: string;
      serviceAccount: { id: string; name: string; roles: string[]; createdBy: { email: string } | null };
    };
  };

  const post = async <T>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<Result<T>> => {
    const request = new Request("http://identity/graphql", {
      method: "POST",
      headers: await viaGateway(tokens, token),
      body: JSON.stringify({ query, variables }),
    });
    return (await (await app.handler.fetch(request)).json()) as Result<T>;
  };
  const login = (email: string, password: string) =>
    post<LoginData>(
      `mutation ($input: LoginInput!) { login(input: $input) { token expiresAt user { email roles } } }`,
      {
        input: { email, password },
      },
    );
  const createUser = `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id email name roles } } }`;

  beforeAll(async () => {
    app = await createIdentitySubgraph({
      env: loadEnv({}),
      logger: createLogger("silent", "identity-test"),
      bus: new InProcessBus(),
      tokens,
      database: { kind: "pglite", dataDir: null },
      peerUrl: (peer) => {
        throw new Error(`identity calls no peer (asked for ${peer})`);
      },
    });
    const admin = await app.identity.ensureFirstAdmin(undefined);
    adminPassword = admin!.generatedPassword!;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("creates the first admin once, with a generated password, and never again", async () => {
    expect(adminPassword.length).toBeGreaterThanOrEqual(12);
    expect(await app.identity.ensureFirstAdmin("another-password-123")).toBeNull();
    const result = await login("ADMIN@lotgraph.local", adminPassword);
    expect(result.data?.login.user).toEqual({ email: "admin@lotgraph.local", roles: ["ADMIN"] });
  });

  it("issues a token that every service can verify, valid for a shift", async () => {
    const result = await login("admin@lotgraph.local", adminPassword);
    const principal = await tokens.verify(result.data!.login.token);
    expect(principal).toMatchObject({ kind: "user", roles: ["ADMIN"], name: "Administrator" });
    const hours = (Date.parse(result.data!.login.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it("refuses a wrong password and an unknown email alike, with UNAUTHENTICATED", async () => {
    const wrongPassword = await login("admin@lotgraph.local", "not-the-password");
    const unknownEmail = await login("nobody@lotgraph.local", "not-the-password");
    expect(wrongPassword.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(unknownEmail.errors?.[0]).toEqual(wrongPassword.errors?.[0]);
  });

  it("lets only an ADMIN create users, and audits each creation", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const input = {
      email: "Marie.Curie@plant.example",
      name: "Marie Curie",
      password: "quality-first-2026",
      roles: ["MANAGER"],
    };
    const created = await post<CreateUserData>(createUser, { input }, admin);
    expect(created.data?.createUser.user).toMatchObject({ email: "marie.curie@plant.example", roles: ["MANAGER"] });

    const manager = (await login("marie.curie@plant.example", "quality-first-2026")).data!.login.token;
    const refused = await post(createUser, { input: { ...input, email: "other@plant.example" } }, manager);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await post(createUser, { input: { ...input, email: "other@plant.example" } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const trail = await auditTrail(app.sql, "User", created.data!.createUser.user.id);
    expect(trail.map((e) => [e.action, e.actor.name])).toEqual([
      ["user.created", "Administrator"],
      ["user.signedIn", "Marie Curie"],
    ]);
    expect(JSON.stringify(trail)).not.toContain("quality-first-2026");
  });

  it("reports every invalid field at once and refuses a taken email with CONFLICT", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const invalid = await post(
      createUser,
      { input: { email: "not-an-email", name: " ", password: "short", roles: [] } },
      admin,
    );
    expect(invalid.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const fields = (invalid.errors?.[0]?.extensions?.fields as Array<{ field: string }>).map((f) => f.field).sort();
    expect(fields).toEqual(["email", "name", "password", "roles"]);

    const taken = await post(
      createUser,
      { input: { email: "admin@lotgraph.local", name: "Again", password: "long-enough-password", roles: ["VIEWER"] } },
      admin,
    );
    expect(taken.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  it("creates a service account whose token carries its roles and cannot create users", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const result = await post<ServiceAccountData>(
      `mutation ($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { token serviceAccount { id name roles createdBy { email } } } }`,
      { input: { name: "sap-s4-prod", roles: ["OPERATOR"], idempotencyKey: "provision-sap" } },
      admin,
    );
    const { token, serviceAccount } = result.data!.createServiceAccount;
    expect(serviceAccount).toMatchObject({
      name: "sap-s4-prod",
      roles: ["OPERATOR"],
      createdBy: { email: "admin@lotgraph.local" },
    });
    const principal: Principal | null = await tokens.verify(token);
    expect(principal).toEqual({
      id: serviceAccount.id,
      name: "sap-s4-prod",
      kind: "service-account",
      roles: ["OPERATOR"],
    });
    const refused = await post(
      createUser,
      { input: { email: "x@plant.example", name: "X", password: "long-enough-password", roles: ["VIEWER"] } },
      token,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const retry = await post<ServiceAccountData>(
      `mutation ($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { serviceAccount { id } } }`,
      { input: { name: "sap-s4-prod", roles: ["OPERATOR"], idempotencyKey: "provision-sap" } },
      admin,
    );
    expect(retry.data?.createServiceAccount.serviceAccount.id).toBe(serviceAccount.id);
  });

  it("verifies electronic signatures for services only, auditing every attempt", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const signer = await post<CreateUserData>(
      createUser,
      {
        input: { email: "quinn@plant.example", name: "Quinn Quality", password: "release-me-2026", roles: ["MANAGER"] },
      },
      admin,
    );
    const userId = signer.data!.createUser.user.id;
    const verify = `mutation ($input: VerifySignatureInput!) { verifySignature(input: $input) { valid user { id name } } }`;
    type VerifyData = { verifySignature: { valid: boolean; user: { id: string; name: string } | null } };
    const quality = await tokens.internalToken("quality");

    const ok = await post<VerifyData>(verify, { input: { userId, password: "release-me-2026" } }, quality);
    expect(ok).toEqual({ data: { verifySignature: { valid: true, user: { id: userId, name: "Quinn Quality" } } } });
    const wrong = await post<VerifyData>(verify, { input: { userId, password: "release-me-2025" } }, quality);
    expect(wrong).toEqual({ data: { verifySignature: { valid: false, user: null } } });
    const unknownId = "00000000-0000-4000-8000-000000000000";
    for (const id of [unknownId, "not-a-uuid"]) {
      const unknown = await post<VerifyData>(verify, { input: { userId: id, password: "release-me-2026" } }, quality);
      expect(unknown).toEqual({ data: { verifySignature: { valid: false, user: null } } });
    }

    const trail = await auditTrail(app.sql, "User", userId);
    expect(trail.map((e) => [e.action, e.actor.name, e.after])).toEqual([
      ["user.created", "Administrator", expect.anything()],
      ["signature.verified", "Quinn Quality", { valid: true, via: "quality" }],
      ["signature.failed", "Quinn Quality", { valid: false, failuresInWindow: 1, via: "quality" }],
    ]);
    expect(JSON.stringify(trail)).not.toContain("release-me");
    const unknownTrail = await auditTrail(app.sql, "User", unknownId);
    expect(unknownTrail).toMatchObject([{ action: "signature.failed", actor: { name: "quality" } }]);

    // Only a service may ask: a person (even an ADMIN) is FORBIDDEN, nobody is UNAUTHENTICATED.
    const before = (await auditTrail(app.sql, "User", userId)).length;
    const asAdmin = await post(verify, { input: { userId, password: "release-me-2026" } }, admin);
    expect(asAdmin.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await post(verify, { input: { userId, password: "release-me-2026" } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await auditTrail(app.sql, "User", userId)).toHaveLength(before);
  });

  it("refuses a deactivated signer's signature with the right password, and audits the refusal", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const created = await post<CreateUserData>(
      createUser,
      { input: { email: "gone@plant.example", name: "Gone Soon", password: "gone-soon-2026", roles: ["MANAGER"] } },
      admin,
    );
    const userId = created.data!.createUser.user.id;
    const deactivated = await post(
      `mutation ($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { active } } }`,
      { input: { userId } },
      admin,
    );
    expect(deactivated).toEqual({ data: { deactivateUser: { user: { active: false } } } });
    const verify = `mutation ($input: VerifySignatureInput!) { verifySignature(input: $input) { valid user { id } } }`;
    const signed = await post(
      verify,
      { input: { userId, password: "gone-soon-2026" } },
      await tokens.internalToken("quality"),
    );
    expect(signed).toEqual({ data: { verifySignature: { valid: false, user: null } } });
    const trail = await auditTrail(app.sql, "User", userId);
    expect(trail.map((e) => [e.action, e.reason])).toEqual([
      ["user.created", null],
      ["user.deactivated", "signing in and every open session end"],
      ["signature.refused", "account deactivated"],
    ]);
  });

  it("serves the credential list to Lotgraph's services only, recording the uses they report", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const sync = `mutation ($input: SyncCredentialsInput!) { syncCredentials(input: $input) { credentials { id kind active roles tokenId } } }`;
    const account = await post<ServiceAccountData>(
      `mutation ($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { token serviceAccount { id name roles createdBy { email } } } }`,
      { input: { name: "Sync probe", roles: ["VIEWER"] } },
      admin,
    );
    const accountId = account.data!.createServiceAccount.serviceAccount.id;
    const usedAt = new Date(Date.now() - 60_000).toISOString();
    type SyncData = { syncCredentials: { credentials: Array<{ id: string; kind: string; tokenId: string | null }> } };
    const listed = await post<SyncData>(
      sync,
      { input: { uses: [{ id: accountId, at: usedAt }] } },
      await tokens.internalToken("gateway"),
    );
    const entry = listed.data!.syncCredentials.credentials.find((c) => c.id === accountId);
    expect(entry).toMatchObject({ kind: "SERVICE_ACCOUNT", tokenId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [row] = await app.sql.query<{ last_used_at: Date }>(
      "SELECT last_used_at FROM service_account WHERE id = $1",
      [accountId],
    );
    expect(new Date(row!.last_used_at).toISOString()).toBe(usedAt);
    for (const caller of [admin, undefined]) {
      const refused = await post(sync, { input: { uses: [] } }, caller);
      expect(refused.errors?.[0]?.extensions?.code).toBe(caller ? "FORBIDDEN" : "UNAUTHENTICATED");
    }
  });

  it("locks a signer out of signing after five wrong passwords, refusing even the right one", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    const created = await post<{ createUser: { user: { id: string } } }>(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`,
      { input: { email: "lee@plant.test", name: "Lee Locked", roles: ["MANAGER"], password: "right-password-2026" } },
      admin,
    );
    const userId = created.data!.createUser.user.id;
    const verify = `mutation ($input: VerifySignatureInput!) { verifySignature(input: $input) { valid lockedUntil user { id } } }`;
    type Verify = { verifySignature: { valid: boolean; lockedUntil: string | null; user: { id: string } | null } };
    const quality = await tokens.internalToken("quality");
    const attempt = async (password: string) =>
      (await post<Verify>(verify, { input: { userId, password } }, quality)).data!.verifySignature;

    // Five wrong passwords at once: each counts once, and the fifth locks.
    const wrong = await Promise.all([1, 2, 3, 4, 5].map((n) => attempt(`wrong-password-${n}`)));
    expect(wrong.every((result) => !result.valid)).toBe(true);
    const locks = wrong.filter((result) => result.lockedUntil !== null);
    expect(locks).toHaveLength(1);
    const lockedUntil = new Date(locks[0]!.lockedUntil!);
    expect(lockedUntil.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(lockedUntil.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    // Locked: the right password is refused too, and says until when.
    expect(await attempt("right-password-2026")).toEqual({
      valid: false,
      lockedUntil: locks[0]!.lockedUntil,
      user: null,
    });

    const actions = (await auditTrail(app.sql, "User", userId)).map((e) => e.action);
    expect(actions.filter((a) => a === "signature.failed")).toHaveLength(5);
    expect(actions.filter((a) => a === "signature.lockedOut")).toHaveLength(1);
    expect(actions.at(-1)).toBe("signature.refused");

    // Fifteen minutes later (moved back by hand), the right password signs again.
    await app.sql.query("UPDATE attempt_counter SET locked_until = now() - interval '1 second' WHERE key = $1", [
      `signature:${userId}`,
    ]);
    expect(await attempt("right-password-2026")).toMatchObject({ valid: true, lockedUntil: null });
  });

  it("throttles sign-in per account and per address, refusing even the right password meanwhile", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    await post(
      createUser,
      { input: { email: "sam@plant.test", name: "Sam Shift", roles: ["OPERATOR"], password: "sam-password-2026" } },
      admin,
    );
    const from = (address: string) => async (email: string, password: string) => {
      const request = new Request("http://identity/graphql", {
        method: "POST",
        headers: { ...(await viaGateway(tokens)), "x-lotgraph-client-address": address },
        body: JSON.stringify({
          query: `mutation ($input: LoginInput!) { login(input: $input) { token } }`,
          variables: { input: { email, password } },
        }),
      });
      return (await (await app.handler.fetch(request)).json()) as Result<{ login: { token: string } }>;
    };
    const attempt = from("10.0.0.7");
    // Five wrong passwords at once each count once; the account is then locked.
    const wrong = await Promise.all([1, 2, 3, 4, 5].map((n) => attempt("sam@plant.test", `guess-number-${n}`)));
    expect(wrong.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    const locked = await attempt("sam@plant.test", "sam-password-2026");
    expect(locked.errors?.[0]?.extensions).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: expect.any(Number),
    });
    expect(locked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // Another account from elsewhere is not affected; an unknown email locks just the same.
    expect((await from("10.0.0.8")("admin@lotgraph.local", adminPassword)).data?.login.token).toEqual(
      expect.any(String),
    );
    for (let n = 0; n < 5; n++) await from("10.0.0.9")("nobody@plant.test", `guess-${n}`);
    expect((await from("10.0.0.9")("nobody@plant.test", "anything-at-all")).errors?.[0]?.extensions?.code).toBe(
      "RATE_LIMITED",
    );
    // One address guessing many accounts is blocked after twenty failures, whatever the account.
    const guesser = from("10.6.6.6");
    for (let n = 0; n < 20; n++) await guesser(`user${n}@plant.test`, "password-guess-1");
    expect((await guesser("admin@lotgraph.local", adminPassword)).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    // A password longer than any real one is refused before it is hashed.
    expect((await attempt("admin@lotgraph.local", "x".repeat(300))).errors?.[0]?.extensions?.code).toBe(
      "BAD_USER_INPUT",
    );

    const trail = await auditTrail(app.sql, "User", "nobody@plant.test");
    expect(trail.filter((e) => e.action === "user.signInFailed")).toHaveLength(5);
    expect(trail.filter((e) => e.action === "user.signInLocked")).toHaveLength(1);
    expect(JSON.stringify(trail)).not.toContain("guess-");
  });

  it("answers me for a signed-in person and null without a token", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    expect((await post<{ me: { email: string } | null }>(`{ me { email } }`, {}, admin)).data?.me).toEqual({
      email: "admin@lotgraph.local",
    });
    expect((await post<{ me: { email: string } | null }>(`{ me { email } }`)).data?.me).toBeNull();
  });

  it("lists people by name, a page at a time, and service accounts, to administrators and auditors only", async () => {
    const admin = (await login("admin@lotgraph.local", adminPassword)).data!.login.token;
    for (const name of ["Zoe Baker", "Adam Miller", "Mia Chen"]) {
      const email = `${name.split(" ")[0]!.toLowerCase()}.list@plant.example`;
      await post(createUser, { input: { email, name, password: "long-enough-password", roles: ["VIEWER"] } }, admin);
    }
    type UsersPage = {
      users: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{ node: { name: string } }>;
      };
    };
    const page = (after: string | null, token: string) =>
      post<UsersPage>(
        `query ($after: String) { users(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`,
        { after },
        token,
      );
    const names: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let pages = 0; pages < 50; pages++) {
      const users: UsersPage["users"] = (await page(after, admin)).data!.users;
      total = users.totalCount;
      names.push(...users.edges.map((edge) => edge.node.name));
      if (!users.pageInfo.hasNextPage) break;
      after = users.pageInfo.endCursor;
    }
    expect(names).toHaveLength(total);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(names).toEqual(expect.arrayContaining(["Adam Miller", "Mia Chen", "Zoe Baker"]));

    // updatedSince: only those changed since, as an HR or ERP sync asks.
    const since = new Date().toISOString();
    const changed = await post<UsersPage>(
      `query ($since: DateTime) { users(updatedSince: $since) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`,
      { since },
      admin,
    );
    expect(changed.data!.users.totalCount).toBe(0);
    const mia = await post<{ users: { edges: Array<{ node: { id: string; name: string } }> } }>(
      `{ users(first: 100) { edges { node { id name } } } }`,
      {},
      admin,
    );
    const miaId = mia.data!.users.edges.find((edge) => edge.node.name === "Mia Chen")!.node.id;
    await post(
      `mutation ($input: UpdateUserInput!) { updateUser(input: $input) { user { id } } }`,
      { input: { userId: miaId, name: "Mia Chen-Okafor" } },
      admin,
    );
    const afterUpdate = await post<UsersPage>(
      `query ($since: DateTime) { users(updatedSince: $since) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`,
      { since },
      admin,
    );
    expect(afterUpdate.data!.users.edges.map((edge) => edge.node.name)).toEqual(["Mia Chen-Okafor"]);
    expect(afterUpdate.data!.users.totalCount).toBe(1);

    const accounts = await post<{ serviceAccounts: Array<{ name: string; roles: string[] }> }>(
      `{ serviceAccounts { name roles } }`,
      {},
      admin,
    );
    expect(accounts.data?.serviceAccounts).toEqual(
      expect.arrayContaining([{ name: "sap-s4-prod", roles: ["OPERATOR"] }]),
    );
    expect(JSON.stringify(accounts.data)).not.toMatch(/token/i);

    const viewer = (await login("mia.list@plant.example", "long-enough-password")).data!.login.token;
    expect((await page(null, viewer)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await post(`{ serviceAccounts { name } }`, {}, viewer)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await post(`{ serviceAccounts { name } }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await page("not-a-cursor", admin)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
