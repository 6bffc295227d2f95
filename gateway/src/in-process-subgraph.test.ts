import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError } from "graphql";
import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { InProcessDataSource, type InProcessSubgraph } from "./in-process-subgraph.ts";

interface Context {
  caller: string | null;
  requestId: string | null;
}

/** A small yoga standing in for a subgraph: it echoes the headers its context saw. */
const yoga = createYoga({
  schema: createSchema<Context>({
    typeDefs: `type Query { whoAmI: String, requestId: String, lot(id: ID!): String, broken: String, refused: String }`,
    resolvers: {
      Query: {
        whoAmI: (_root: unknown, _args: unknown, context: Context) => context.caller,
        requestId: (_root: unknown, _args: unknown, context: Context) => context.requestId,
        lot: (_root: unknown, args: { id: string }) => `lot ${args.id}`,
        broken: () => {
          throw new Error("database password is hunter2");
        },
        refused: () => {
          throw new GraphQLError("no such lot", { extensions: { code: "NOT_FOUND" } });
        },
      },
    },
  }),
  context: ({ request }): Context => ({
    caller: request.headers.get("authorization"),
    requestId: request.headers.get("x-request-id"),
  }),
  logging: false,
});

const source = new InProcessDataSource(
  "http://inventory.internal/graphql",
  yoga as unknown as InProcessSubgraph,
  () => ({ authorization: "Bearer t0ken", "x-request-id": "req-1" }),
);

function fetch(query: string, variables?: Record<string, unknown>) {
  return source.process({
    kind: "incoming operation",
    request: { query, ...(variables && { variables }) },
    context: {},
  } as unknown as GraphQLDataSourceProcessOptions);
}

describe("InProcessDataSource", () => {
  it("runs the operation with the forwarded headers in the subgraph's context, and its variables", async () => {
    await expect(fetch(`query ($id: ID!) { whoAmI requestId lot(id: $id) }`, { id: "7" })).resolves.toEqual({
      data: { whoAmI: "Bearer t0ken", requestId: "req-1", lot: "lot 7" },
    });
  });

  it("answers syntax and validation errors as the subgraph's HTTP endpoint would, without executing", async () => {
    const syntax = await fetch(`query { whoAmI `);
    expect(syntax.data).toBeUndefined();
    expect(syntax.errors?.[0]?.message).toMatch(/Syntax Error/);
    const invalid = await fetch(`query { nope }`);
    expect(invalid.errors?.map((error) => error.message)).toEqual([`Cannot query field "nope" on type "Query".`]);
  });

  it("keeps a coded error and masks an unexpected one, as the subgraph's own masking does", async () => {
    const result = await fetch(`query { refused broken }`);
    expect(result.data).toEqual({ refused: null, broken: null });
    expect(result.errors?.map((error) => [error.message, error.extensions?.["code"]])).toEqual([
      ["no such lot", "NOT_FOUND"],
      ["Unexpected error.", "INTERNAL_SERVER_ERROR"], // yoga's own masking, as over HTTP
    ]);
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });
});
