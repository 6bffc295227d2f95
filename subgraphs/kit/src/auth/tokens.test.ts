import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bearerToken, TokenService, type Principal } from "./tokens.ts";

const SECRET = "a-test-secret-that-is-long-enough-0001";
const OTHER_SECRET = "a-test-secret-that-is-long-enough-0002";
const alice: Principal = { id: "user-1", name: "Alice", kind: "user", roles: ["OPERATOR", "AUDITOR"] };

/** A token signed with the right key but with claims chosen by the test. */
function forge(claims: Record<string, unknown>, options: { issuer?: string; audience?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("user-1")
    .setIssuer(options.issuer ?? "lotgraph")
    .setAudience(options.audience ?? "lotgraph")
    .setIssuedAt()
    .sign(new TextEncoder().encode(SECRET));
}

describe("TokenService", () => {
  const tokens = new TokenService(SECRET);

  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses a secret shorter than 32 characters", () => {
    expect(() => new TokenService("too-short")).toThrow(/at least 32/);
  });

  it("verifies what it signed, returning the same principal", async () => {
    const token = await tokens.sign(alice, 60);
    await expect(tokens.verify(token)).resolves.toEqual(alice);
  });

  it("tells when a session token expires, and that a token without expiry never does", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const session = await tokens.session(await tokens.sign(alice, 60));
    expect(session?.principal).toEqual(alice);
    expect(session?.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(session?.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    await expect(tokens.session(await tokens.sign(alice, null))).resolves.toEqual({
      principal: alice,
      expiresAt: null,
    });
    await expect(tokens.session("not-a-token")).resolves.toBeNull();
  });

  it("verifies a token issued without expiry", async () => {
    const token = await tokens.sign(alice, null);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10 * 365 * 24 * 3600 * 1000);
    await expect(tokens.verify(token)).resolves.toEqual(alice);
  });

  it("rejects a token whose payload was tampered with", async () => {
    const token = await tokens.sign(alice, 60);
    const [header, payload, signature] = token.split(".");
    const claims: Record<string, unknown> = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"));
    const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ["ADMIN"] })).toString("base64url");
    await expect(tokens.verify(`${header}.${elevated}.${signature}`)).resolves.toBeNull();
  });

  it("rejects an expired token", async () => {
    const token = await tokens.sign(alice, 60);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000 + 60_000);
    await expect(tokens.verify(token)).resolves.toBeNull();
  });

  it("refuses a token it verified before once that token has expired", async () => {
    const token = await tokens.sign(alice, 60);
    await expect(tokens.verify(token)).resolves.toEqual(alice);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    await expect(tokens.verify(token)).resolves.toBeNull();
    await expect(tokens.session(token)).resolves.toBeNull();
  });

  it("hands out sessions that callers cannot alter", async () => {
    const token = await tokens.sign(alice, 60);
    const first = await tokens.verify(token);
    expect(() => first!.roles.push("ADMIN")).toThrow(TypeError);
    await expect(tokens.verify(token)).resolves.toEqual(alice);
  });

  it("rejects a token signed with another secret", async () => {
    const token = await new TokenService(OTHER_SECRET).sign(alice, 60);
    await expect(tokens.verify(token)).resolves.toBeNull();
  });

  it("rejects a token meant for another audience or from another issuer", async () => {
    const claims = { name: "Alice", kind: "user", roles: ["ADMIN"] };
    await expect(tokens.verify(await forge(claims))).resolves.not.toBeNull();
    await expect(tokens.verify(await forge(claims, { audience: "someone-else" }))).resolves.toBeNull();
    await expect(tokens.verify(await forge(claims, { issuer: "someone-else" }))).resolves.toBeNull();
  });

  it("rejects a correctly signed token whose claims are not a principal", async () => {
    await expect(tokens.verify(await forge({ name: "Alice", kind: "robot", roles: [] }))).resolves.toBeNull();
    await expect(tokens.verify(await forge({ name: "Alice", kind: "user", roles: ["ROOT"] }))).resolves.toBeNull();
  });

  it("rejects an unsigned token and garbage", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const payload = Buffer.from(
      JSON.stringify({
        sub: "user-1",
        name: "Alice",
        kind: "user",
        roles: ["ADMIN"],
        iss: "lotgraph",
        aud: "lotgraph",
      }),
    ).toString("base64url");
    await expect(tokens.verify(`${header}.${payload}.`)).resolves.toBeNull();
    await expect(tokens.verify("not-a-token")).resolves.toBeNull();
  });

  it("issues internal tokens that verify as an internal principal", async () => {
    const principal = await tokens.verify(await tokens.internalToken("quality"));
    expect(principal).toEqual({ id: "service:quality", name: "quality", kind: "internal", roles: ["ADMIN"] });
  });
});

describe("bearerToken", () => {
  it("extracts the token of a Bearer header, in any case", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer abc")).toBe("abc");
  });

  it("returns null for a missing or malformed header", () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken("")).toBeNull();
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerToken("Bearer two tokens")).toBeNull();
  });
});
