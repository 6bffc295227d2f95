import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { useErrorCodes } from "./error-codes.ts";
import { textProblem, useInputHygiene } from "./input-hygiene.ts";

/** An echo server: whatever reaches a resolver is counted, so a refusal is seen to run nothing. */
function echoServer() {
  let resolved = 0;
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        input Note {
          text: String!
          tags: [String!]
        }
        type Query {
          text(value: String!): String!
          number(value: Float!): Float!
          note(input: Note!): String!
        }
      `,
      resolvers: {
        Query: {
          text: (_: unknown, args: { value: string }) => (resolved++, args.value),
          number: (_: unknown, args: { value: number }) => (resolved++, args.value),
          note: (_: unknown, args: { input: { text: string } }) => (resolved++, args.input.text),
        },
      },
    }),
    plugins: [useInputHygiene(), useErrorCodes()],
    logging: false,
  });
  const post = async (body: string) => {
    const response = await yoga.fetch("http://test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
  };
  return { post, resolved: () => resolved };
}

describe("textProblem", () => {
  it("accepts any text made of characters, surrogate pairs and all", () => {
    for (const text of [
      "",
      "Flour T55",
      "Crème fraîche 35 %",
      "小麦粉",
      "🥖 baguette",
      "a\tb\nc",
      "'; DROP TABLE lot; --",
    ])
      expect(textProblem(text), text).toBeNull();
  });

  it("names a NUL character and a lone surrogate of either half", () => {
    expect(textProblem("lot\u0000code")).toMatch(/NUL/);
    for (const text of ["\uD800", "a\uD83Db", "\uDC00", "x\uDE00", "🥖\uDC00"])
      expect(textProblem(text), text).toMatch(/surrogate/);
  });
});

describe("useInputHygiene", () => {
  it("refuses a NUL character in a literal or a variable, nested or not, before any resolver runs", async () => {
    const server = echoServer();
    const answers = await Promise.all([
      server.post(JSON.stringify({ query: '{ text(value: "a\\u0000b") }' })),
      server.post(JSON.stringify({ query: "query ($v: String!) { text(value: $v) }", variables: { v: "a\u0000b" } })),
      server.post(
        JSON.stringify({
          query: "query ($n: Note!) { note(input: $n) }",
          variables: { n: { text: "ok", tags: ["fine", "bad\u0000"] } },
        }),
      ),
    ]);
    for (const answer of answers)
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe("BAD_USER_INPUT");
    expect(answers[2]!.errors?.[0]?.message).toContain("$n.tags[1]");
    expect(server.resolved()).toBe(0);
  });

  it("refuses a lone surrogate sent as a JSON escape in a variable", async () => {
    const server = echoServer();
    // Written by hand: JSON.stringify would escape the lone surrogate the same way, but this is what a client sends.
    const answer = await server.post(
      '{"query":"query ($v: String!) { text(value: $v) }","variables":{"v":"x\\ud800y"}}',
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(server.resolved()).toBe(0);
  });

  it("refuses a number that is not finite, as a literal or a JSON number", async () => {
    const server = echoServer();
    const literal = await server.post(JSON.stringify({ query: "{ number(value: 1e309) }" }));
    const variable = await server.post('{"query":"query ($v: Float!) { number(value: $v) }","variables":{"v":1e309}}');
    expect(literal.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(variable.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(server.resolved()).toBe(0);
  });

  it("lets ordinary text and numbers through", async () => {
    const server = echoServer();
    const answer = await server.post(
      JSON.stringify({
        query: "query ($v: String!, $f: Float!) { text(value: $v) number(value: $f) }",
        variables: { v: "🥖 pain de campagne", f: 1e308 },
      }),
    );
    expect(answer).toEqual({ data: { text: "🥖 pain de campagne", number: 1e308 } });
  });
});
