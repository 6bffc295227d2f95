import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { useErrorCodes } from "./error-codes.ts";
import { useResultSizeLimit } from "./result-size.ts";

/** A server whose `rows(n)` answers n rows of 100 characters, under a 10 KiB result cap. */
function server() {
  let mutations = 0;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Query {
          rows(n: Int!): [String!]!
        }
        type Mutation {
          record(n: Int!): [String!]!
        }
      `,
      resolvers: {
        Query: { rows: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, () => "x".repeat(100)) },
        Mutation: {
          record: (_: unknown, { n }: { n: number }) => (mutations++, Array.from({ length: n }, () => "y".repeat(100))),
        },
      },
    }),
    plugins: [useResultSizeLimit(10 * 1024), useErrorCodes()],
    logging: false,
  });
  const post = async (query: string) =>
    (await (
      await yoga.fetch("http://test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      })
    ).json()) as {
      data?: Record<string, string[]> | null;
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
    };
  return { post, mutations: () => mutations };
}

describe("useResultSizeLimit", () => {
  it("answers a query under the cap as usual", async () => {
    const { post } = server();
    const result = await post("{ rows(n: 50) }");
    expect(result.errors).toBeUndefined();
    expect(result.data?.rows).toHaveLength(50);
  });

  it("refuses a query whose result is over the cap with a coded error that says how big it was", async () => {
    const { post } = server();
    const result = await post("{ rows(n: 500) }");
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", maxResultBytes: 10 * 1024 });
    expect(result.errors![0]!.message).toMatch(
      /^the result would be 5\d KiB, over the limit of 10 KiB: ask for fewer items/,
    );
  });

  it("never withholds a mutation's answer: its effect has happened", async () => {
    const { post, mutations } = server();
    const result = await post("mutation { record(n: 500) }");
    expect(result.errors).toBeUndefined();
    expect(result.data?.record).toHaveLength(500);
    expect(mutations()).toBe(1);
  });
});
