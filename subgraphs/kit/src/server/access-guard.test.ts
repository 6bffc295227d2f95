import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { guardedResolvers, requestIdOfError } from "./access-guard.ts";

const viewer = { id: "v", name: "V", kind: "user" as const, roles: ["VIEWER" as const] };
const admin = { id: "a", name: "A", kind: "user" as const, roles: ["ADMIN" as const] };

describe("guardedResolvers", () => {
  it("refuses a root field's caller the policy does not admit, before the resolver runs", async () => {
    let ran = 0;
    const typeDefs = parse(`type Query { users: [String] me: String lotFacts: String }`);
    const resolvers = guardedResolvers([typeDefs], {
      Query: { users: () => ++ran, me: () => "me", lotFacts: () => "facts" },
    }) as { Query: Record<string, (p: unknown, a: unknown, c: unknown, i: unknown) => unknown> };
    const call = (field: string, principal: unknown) => () => resolvers.Query[field]!(null, {}, { principal }, null);
    expect(call("users", viewer)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(call("users", null)).toThrow(expect.objectContaining({ code: "UNAUTHENTICATED" }));
    expect(ran).toBe(0);
    expect(call("users", admin)()).toBe(1);
    expect(call("me", null)()).toBe("me");
    expect(call("lotFacts", admin)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });

  it("guards a root field without a resolver of its own, and refuses to build for a field the table lacks", () => {
    const withoutResolver = guardedResolvers([parse(`type Query { users: [String] }`)], {}) as {
      Query: Record<string, (p: unknown, a: unknown, c: unknown, i: unknown) => unknown>;
    };
    expect(() => withoutResolver.Query.users!(null, {}, { principal: null }, null)).toThrow(
      expect.objectContaining({ code: "UNAUTHENTICATED" }),
    );
    expect(() => guardedResolvers([parse(`type Mutation { launchRockets: Boolean }`)], {})).toThrow(
      /Mutation.launchRockets has no entry in the access policy/,
    );
  });

  it("remembers the request a root resolver failed in, for the log line of an unexpected error", async () => {
    const failure = new Error("the database went away");
    const resolvers = guardedResolvers([parse(`type Query { lots: [String] me: String }`)], {
      Query: {
        lots: async () => Promise.reject(failure),
        me: () => {
          throw failure;
        },
      },
    }) as { Query: Record<string, (p: unknown, a: unknown, c: unknown, i: unknown) => unknown> };
    await expect(resolvers.Query.lots!(null, {}, { principal: admin, requestId: "r-1" }, null)).rejects.toBe(failure);
    expect(requestIdOfError(failure)).toBe("r-1");
    expect(() => resolvers.Query.me!(null, {}, { principal: null, requestId: "r-2" }, null)).toThrow(failure);
    expect(requestIdOfError(failure)).toBe("r-2");
  });
});
