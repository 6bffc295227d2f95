import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { CredentialRegistry, type CredentialStatus, type CredentialUse } from "./credential-registry.ts";
import { TokenService, type Principal } from "./tokens.ts";

const SECRET = "a-test-secret-that-is-long-enough-for-hs256";
const alice: CredentialStatus = {
  id: "11111111-1111-4111-8111-111111111111",
  kind: "user",
  name: "Alice",
  roles: ["OPERATOR"],
  active: true,
  tokenId: null,
  trustedDocumentsOnly: false,
};
const erp: CredentialStatus = {
  id: "22222222-2222-4222-8222-222222222222",
  kind: "service-account",
  name: "ERP",
  roles: ["VIEWER"],
  active: true,
  tokenId: "33333333-3333-4333-8333-333333333333",
  trustedDocumentsOnly: true,
};

/** A source identity would be: the list it is given, the uses it was handed, and failures on demand. */
function fakeIdentity(initial: CredentialStatus[]) {
  const state = { list: initial, fetches: 0, failing: false, uses: [] as CredentialUse[] };
  const source = async (uses: CredentialUse[]) => {
    state.fetches++;
    if (state.failing) throw new Error("identity is down");
    state.uses.push(...uses);
    return state.list.map((s) => ({ ...s, roles: [...s.roles] }));
  };
  return { state, source };
}

const principalOf = (s: CredentialStatus): Principal => ({ id: s.id, name: s.name, kind: s.kind, roles: s.roles });

function registryOver(source: (uses: CredentialUse[]) => Promise<CredentialStatus[]>) {
  return new CredentialRegistry(source, { refreshMs: 60_000, logger: createLogger("silent", "test") });
}

describe("CredentialRegistry", () => {
  it("admits an active principal with the roles identity gives it now, and refuses one deactivated", async () => {
    const { state, source } = fakeIdentity([alice]);
    const registry = registryOver(source);
    await registry.refreshNow();
    const signedAsOperator = principalOf(alice);
    expect(await registry.admit(signedAsOperator, null, new Date())).toMatchObject({ roles: ["OPERATOR"] });

    state.list = [{ ...alice, roles: ["MANAGER"], name: "Alice B." }];
    const changed: string[][] = [];
    registry.onChange((ids) => changed.push([...ids]));
    await registry.refreshNow();
    expect(await registry.admit(signedAsOperator, null, new Date())).toMatchObject({
      name: "Alice B.",
      roles: ["MANAGER"],
    });
    state.list = [{ ...alice, active: false }];
    await registry.refreshNow();
    expect(await registry.admit(signedAsOperator, null, new Date())).toBeNull();
    expect(changed).toEqual([[alice.id], [alice.id]]);
  });

  it("accepts a service account's current token id only", async () => {
    const { state, source } = fakeIdentity([erp]);
    const registry = registryOver(source);
    await registry.refreshNow();
    expect(await registry.admit(principalOf(erp), erp.tokenId, new Date())).not.toBeNull();
    expect(await registry.admit(principalOf(erp), "44444444-4444-4444-8444-444444444444", new Date())).toBeNull();
    expect(await registry.admit(principalOf(erp), null, new Date())).toBeNull();
    // A user token for the account's id is not the account.
    expect(await registry.admit({ ...principalOf(erp), kind: "user" }, null, new Date())).toBeNull();
    state.list = [{ ...erp, active: false }];
    await registry.refreshNow();
    expect(await registry.admit(principalOf(erp), erp.tokenId, new Date())).toBeNull();
  });

  it("hands the accounts seen calling to the next fetch, and keeps them when that fetch fails", async () => {
    const { state, source } = fakeIdentity([erp]);
    const registry = registryOver(source);
    await registry.refreshNow();
    await registry.admit(principalOf(erp), erp.tokenId, new Date());
    state.failing = true;
    await registry.refreshNow();
    expect(state.uses).toEqual([]);
    state.failing = false;
    await registry.refreshNow();
    expect(state.uses.map((use) => use.id)).toEqual([erp.id]);
    await registry.refreshNow();
    expect(state.uses).toHaveLength(1);
  });

  it("fetches for a token newer than its list, never for an old token of someone unknown", async () => {
    const { state, source } = fakeIdentity([]);
    const registry = registryOver(source);
    await registry.refreshNow();
    state.list = [alice];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fetches = state.fetches;
    expect(await registry.admit(principalOf(alice), null, new Date(Date.now() - 3_600_000))).toBeNull();
    expect(state.fetches).toBe(fetches);
    expect(await registry.admit(principalOf(alice), null, new Date())).not.toBeNull();
    expect(state.fetches).toBe(fetches + 1);
  });

  it("keeps the last list while identity is unreachable, and is SERVICE_UNAVAILABLE before it ever had one", async () => {
    const { state, source } = fakeIdentity([alice]);
    state.failing = true;
    const fresh = registryOver(source);
    await expect(fresh.admit(principalOf(alice), null, new Date())).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
    });
    expect(fresh.loaded).toBe(false);
    state.failing = false;
    await fresh.refreshNow();
    state.failing = true;
    await fresh.refreshNow();
    expect(await fresh.admit(principalOf(alice), null, new Date())).not.toBeNull();
  });

  it("lets TokenService refuse a signed, unexpired token once its owner no longer counts", async () => {
    const { state, source } = fakeIdentity([erp]);
    const tokens = new TokenService(SECRET);
    tokens.useRegistry(registryOver(source));
    const current = await tokens.sign(principalOf(erp), 3600, erp.tokenId!);
    const other = await tokens.sign(principalOf(erp), 3600, "55555555-5555-4555-8555-555555555555");
    expect(await tokens.verify(current)).toMatchObject({ id: erp.id });
    expect(await tokens.verify(other)).toBeNull();
    state.list = [{ ...erp, active: false }];
    await tokens.registry!.refreshNow();
    expect(await tokens.verify(current)).toBeNull();
    // Lotgraph's own callers are not in identity's list, and need not be: its services, and the
    // live layer's per-role callers (which identity never issues: their ids are not uuids).
    expect(await tokens.verify(await tokens.internalToken("inventory"))).toMatchObject({ kind: "internal" });
    const live = {
      id: "live:VIEWER",
      name: "live updates",
      kind: "service-account" as const,
      roles: ["VIEWER" as const],
    };
    expect(await tokens.verify(await tokens.sign(live, 300))).toMatchObject({ id: "live:VIEWER" });
  });
});
