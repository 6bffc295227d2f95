import { CredentialRegistry, TokenService, createLogger } from "@lotgraph/kit";
import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { useBearerCheck } from "./bearer-check.ts";

const tokens = new TokenService("bearer-check-test-secret-0123456789abcdef");
const yoga = createYoga<Record<string, unknown>>({
  schema: createSchema({ typeDefs: `type Query { ok: Boolean }`, resolvers: { Query: { ok: () => true } } }),
  logging: false,
  plugins: [useBearerCheck(tokens)],
});

async function ask(authorization?: string) {
  const response = await yoga.fetch("http://gateway/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization !== undefined && { authorization }) },
    body: JSON.stringify({ query: "{ ok }" }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, data: body.data, code: body.errors?.[0]?.extensions?.code };
}

const alice = { id: "u1", name: "Alice", kind: "user", roles: ["OPERATOR"] } as const;

describe("the gateway's bearer check", () => {
  it("lets a request without a token, or with a valid one, through", async () => {
    expect(await ask()).toEqual({ status: 200, data: { ok: true }, code: undefined });
    const token = await tokens.sign({ ...alice, roles: [...alice.roles] }, 600);
    expect(await ask(`Bearer ${token}`)).toEqual({ status: 200, data: { ok: true }, code: undefined });
  });

  it("refuses with 401 UNAUTHENTICATED a token that is forged, signed elsewhere or expired, or not a bearer", async () => {
    const token = await tokens.sign({ ...alice, roles: [...alice.roles] }, 600);
    const elsewhere = await new TokenService("another-secret-entirely-0123456789abcdef").sign(
      { ...alice, roles: ["ADMIN"] },
      600,
    );
    const expired = await tokens.sign({ ...alice, roles: [...alice.roles] }, -10);
    for (const header of [
      `Bearer ${token.slice(0, -4)}AAAA`,
      `Bearer ${elsewhere}`,
      `Bearer ${expired}`,
      `Basic ${Buffer.from("admin:admin").toString("base64")}`,
      "Bearer",
      "",
    ]) {
      expect(await ask(header), header).toEqual({ status: 401, data: undefined, code: "UNAUTHENTICATED" });
    }
  });

  it("does not let a token that once verified through after it expires", async () => {
    const token = await tokens.sign({ ...alice, roles: [...alice.roles] }, 1);
    expect((await ask(`Bearer ${token}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await ask(`Bearer ${token}`)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });
});

describe("the gateway's bearer check, with identity's credential list", () => {
  it("answers 503 SERVICE_UNAVAILABLE while no list could ever be fetched, then 401 for someone it lacks", async () => {
    const checked = new TokenService("bearer-check-test-secret-0123456789abcdef");
    let identityUp = false;
    checked.useRegistry(
      new CredentialRegistry(
        async () => {
          if (!identityUp) throw new Error("identity is down");
          return [];
        },
        { refreshMs: 60_000, logger: createLogger("silent", "test") },
      ),
    );
    const withList = createYoga<Record<string, unknown>>({
      schema: createSchema({ typeDefs: `type Query { ok: Boolean }`, resolvers: { Query: { ok: () => true } } }),
      logging: false,
      plugins: [useBearerCheck(checked)],
    });
    const person = {
      id: "11111111-1111-4111-8111-111111111111",
      name: "P",
      kind: "user" as const,
      roles: ["VIEWER" as const],
    };
    const token = await checked.sign(person, 600);
    const ask = async () => {
      const response = await withList.fetch("http://gateway/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ ok }" }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      return {
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        code: body.errors?.[0]?.extensions?.code,
      };
    };
    expect(await ask()).toEqual({ status: 503, retryAfter: "5", code: "SERVICE_UNAVAILABLE" });
    identityUp = true;
    expect(await ask()).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });
});
