import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/graphql-client.ts";
import { LiveTestClient } from "../support/live-client.ts";
import { startTestLotgraph } from "../support/lotgraph.ts";
import { create } from "../support/plant.ts";
import { eventually } from "../support/wait.ts";

type Lotgraph = Awaited<ReturnType<typeof startTestLotgraph>>;

const ME = `{ me { id name roles } }`;
const MATERIALS = `{ materials(first: 1) { totalCount } }`;
const UPDATE_USER = `mutation ($input: UpdateUserInput!) { updateUser(input: $input) { user { id name roles active } } }`;
const DEACTIVATE = `mutation ($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { id active deactivatedAt } } }`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } } }`;
const CREATE_ACCOUNT = `mutation ($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) { token serviceAccount { id expiresAt revokedAt status } }
}`;
const ROTATE = `mutation ($input: RotateServiceAccountTokenInput!) { rotateServiceAccountToken(input: $input) { token } }`;
const REVOKE = `mutation ($input: RevokeServiceAccountInput!) {
  revokeServiceAccount(input: $input) { serviceAccount { id revokedAt status } }
}`;
const ACCOUNTS = `{ serviceAccounts { id name expiresAt lastUsedAt revokedAt status } }`;
const LOT_CHANGES = `subscription { lotChanged { id } }`;

/**
 * Credentials that end (docs/decisions/0019), through the gateway as people and integrators use
 * it. In one process identity's changes count from the response on; across processes within the
 * refresh bound (service-bundles.test.ts measures that one).
 */
describe("people and service accounts whose access changes", () => {
  let lotgraph: Lotgraph;
  let anonymous: TestClient;
  let admin: TestClient;
  let tag = 0;

  beforeAll(async () => {
    lotgraph = await startTestLotgraph();
    anonymous = new TestClient(lotgraph.gatewayUrl);
    admin = anonymous.as(await anonymous.login(lotgraph.admin.email, lotgraph.admin.password!));
  });
  afterAll(async () => lotgraph?.cleanup());

  async function person(roles: string[]) {
    tag++;
    const email = `person-${tag}@plant.test`;
    const password = `person-${tag}-password`;
    const id = await create(admin, "createUser", { email, name: `Person ${tag}`, roles, password }, "user");
    return { id, email, password, client: anonymous.as(await anonymous.login(email, password)) };
  }

  it("gives a person new roles on the session they already have", async () => {
    const viewer = await person(["VIEWER"]);
    expect(
      await viewer.client.expectErrorCode(
        `mutation { createLocation(input: {code: "X", name: "X", kind: SITE}) { location { id } } }`,
      ),
    ).toBe("FORBIDDEN");
    const updated = await admin.expectData<{ updateUser: { user: { name: string; roles: string[] } } }>(UPDATE_USER, {
      input: { userId: viewer.id, name: "Renamed Person", roles: ["MANAGER"] },
    });
    expect(updated.updateUser.user).toMatchObject({ name: "Renamed Person", roles: ["MANAGER"] });
    expect((await viewer.client.expectData<{ me: { name: string; roles: string[] } }>(ME)).me).toMatchObject({
      name: "Renamed Person",
      roles: ["MANAGER"],
    });
    await viewer.client.expectData(
      `mutation { createLocation(input: {code: "ROLE-${tag}", name: "Granted", kind: SITE}) { location { id } } }`,
    );
  });

  it("ends a deactivated person's sessions, sign-in and live subscriptions", async () => {
    const operator = await person(["OPERATOR"]);
    const live = LiveTestClient.withToken(lotgraph.gatewayUrl, operator.client.token!);
    const subscription = live.subscribe(LOT_CHANGES);
    await operator.client.expectData(MATERIALS);
    try {
      const result = await admin.expectData<{ deactivateUser: { user: { active: boolean; deactivatedAt: string } } }>(
        DEACTIVATE,
        { input: { userId: operator.id } },
      );
      expect(result.deactivateUser.user.active).toBe(false);
      expect(await operator.client.expectErrorCode(MATERIALS)).toBe("UNAUTHENTICATED");
      expect(
        await anonymous.expectErrorCode(`mutation ($i: LoginInput!) { login(input: $i) { token } }`, {
          i: { email: operator.email, password: operator.password },
        }),
      ).toBe("UNAUTHENTICATED");
      expect((await live.waitClosed()).code).toBe(4403);
      expect(subscription.results).toEqual([]);
      // Once is enough: a second deactivation says so instead of writing again.
      expect(await admin.expectErrorCode(DEACTIVATE, { input: { userId: operator.id } })).toBe("CONFLICT");
    } finally {
      await live.dispose();
    }
  });

  it("keeps one active administrator, and leaves the lifecycle to administrators", async () => {
    const me = (await admin.expectData<{ me: { id: string } }>(ME)).me;
    expect(await admin.expectErrorCode(DEACTIVATE, { input: { userId: me.id } })).toBe("CONFLICT");
    expect(await admin.expectErrorCode(UPDATE_USER, { input: { userId: me.id, roles: ["MANAGER"] } })).toBe("CONFLICT");
    const manager = await person(["MANAGER"]);
    for (const [query, input] of [
      [UPDATE_USER, { userId: me.id, name: "Taken over" }],
      [DEACTIVATE, { userId: me.id }],
      [CREATE_ACCOUNT, { name: "sneaky", roles: ["ADMIN"] }],
    ] as const) {
      expect(await manager.client.expectErrorCode(query, { input })).toBe("FORBIDDEN");
      expect(await anonymous.expectErrorCode(query, { input })).toBe("UNAUTHENTICATED");
    }
    expect(await manager.client.expectErrorCode(ACCOUNTS)).toBe("FORBIDDEN");
    expect(await admin.expectErrorCode(UPDATE_USER, { input: { userId: "not-an-id", name: "X" } })).toBe(
      "BAD_USER_INPUT",
    );
    expect(await admin.expectErrorCode(UPDATE_USER, { input: { userId: manager.id } })).toBe("BAD_USER_INPUT");
    expect(
      await admin.expectErrorCode(UPDATE_USER, {
        input: { userId: "00000000-0000-4000-8000-000000000000", name: "X" },
      }),
    ).toBe("NOT_FOUND");
  });

  it("takes two administrators deactivating each other at once in turn, without a deadlock or an uncoded error", async () => {
    const first = await person(["ADMIN"]);
    const second = await person(["ADMIN"]);
    const answers = await Promise.all([
      first.client.request(DEACTIVATE, { input: { userId: second.id } }),
      second.client.request(DEACTIVATE, { input: { userId: first.id } }),
    ]);
    const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? "OK");
    // The changes take turns (no deadlock, no unexpected error): the first to commit ends the
    // other's session, whose own request is then refused, or finds its target deactivated.
    expect(
      codes.every((code) => ["OK", "CONFLICT", "UNAUTHENTICATED"].includes(code)),
      codes.join(),
    ).toBe(true);
    const [active] = await lotgraph.databases.identity.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM user_account WHERE deactivated_at IS NULL AND 'ADMIN' = ANY(roles)",
    );
    expect(active!.n).toBeGreaterThanOrEqual(1);
  });

  it("changes a person's own password after the current one is re-entered", async () => {
    const operator = await person(["OPERATOR"]);
    const newPassword = `a-new-password-${tag}`;
    expect(
      await operator.client.expectErrorCode(CHANGE_PASSWORD, {
        input: { currentPassword: "not-the-password", newPassword },
      }),
    ).toBe("BAD_USER_INPUT");
    expect(
      await operator.client.expectErrorCode(CHANGE_PASSWORD, {
        input: { currentPassword: operator.password, newPassword: "short" },
      }),
    ).toBe("BAD_USER_INPUT");
    await operator.client.expectData(CHANGE_PASSWORD, { input: { currentPassword: operator.password, newPassword } });
    expect(await anonymous.login(operator.email, newPassword)).toMatch(/\./);
    expect(
      await anonymous.expectErrorCode(`mutation ($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email: operator.email, password: operator.password },
      }),
    ).toBe("UNAUTHENTICATED");
    expect(await anonymous.expectErrorCode(CHANGE_PASSWORD, { input: { currentPassword: "x", newPassword } })).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("issues service-account tokens that expire, rotate, record their use and revoke", async () => {
    const created = await admin.expectData<{
      createServiceAccount: { token: string; serviceAccount: { id: string; expiresAt: string; status: string } };
    }>(CREATE_ACCOUNT, { input: { name: "ERP nightly", roles: ["VIEWER"], expiresInDays: 30 } });
    const { id, expiresAt, status } = created.createServiceAccount.serviceAccount;
    const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(status).toBe("ACTIVE");
    const first = anonymous.as(created.createServiceAccount.token);
    await first.expectData(MATERIALS);
    expect(
      await admin.expectErrorCode(CREATE_ACCOUNT, {
        input: { name: "too long", roles: ["VIEWER"], expiresInDays: 731 },
      }),
    ).toBe("BAD_USER_INPUT");
    expect(
      await admin.expectErrorCode(CREATE_ACCOUNT, {
        input: { name: "too short", roles: ["VIEWER"], expiresInDays: 0 },
      }),
    ).toBe("BAD_USER_INPUT");
    expect(
      await first.expectErrorCode(CHANGE_PASSWORD, { input: { currentPassword: "x", newPassword: "y".repeat(12) } }),
    ).toBe("FORBIDDEN");

    // Its use is reported with the next refresh of the credential list.
    await eventually(
      async () => {
        const accounts = (
          await admin.expectData<{ serviceAccounts: Array<{ id: string; lastUsedAt: string | null }> }>(ACCOUNTS)
        ).serviceAccounts;
        expect(accounts.find((a) => a.id === id)?.lastUsedAt).not.toBeNull();
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    const rotated = await admin.expectData<{ rotateServiceAccountToken: { token: string } }>(ROTATE, {
      input: { serviceAccountId: id, expiresInDays: 7 },
    });
    const second = anonymous.as(rotated.rotateServiceAccountToken.token);
    expect(await first.expectErrorCode(MATERIALS)).toBe("UNAUTHENTICATED");
    await second.expectData(MATERIALS);

    const live = LiveTestClient.withToken(lotgraph.gatewayUrl, second.token!);
    live.subscribe(LOT_CHANGES);
    await second.expectData(MATERIALS);
    try {
      const revoked = await admin.expectData<{
        revokeServiceAccount: { serviceAccount: { revokedAt: string; status: string } };
      }>(REVOKE, { input: { serviceAccountId: id } });
      expect(revoked.revokeServiceAccount.serviceAccount.status).toBe("REVOKED");
      expect(await second.expectErrorCode(MATERIALS)).toBe("UNAUTHENTICATED");
      expect((await live.waitClosed()).code).toBe(4403);
      expect(await admin.expectErrorCode(ROTATE, { input: { serviceAccountId: id } })).toBe("CONFLICT");
      expect(await admin.expectErrorCode(REVOKE, { input: { serviceAccountId: id } })).toBe("CONFLICT");
    } finally {
      await live.dispose();
    }
  });

  it("writes each change to identity's audit trail", async () => {
    const rows = await lotgraph.databases.identity.query<{ action: string }>(
      "SELECT DISTINCT action FROM audit_log ORDER BY action",
    );
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "user.updated",
        "user.deactivated",
        "user.passwordChanged",
        "user.passwordChangeFailed",
        "serviceAccount.created",
        "serviceAccount.tokenRotated",
        "serviceAccount.revoked",
      ]),
    );
  });
});
