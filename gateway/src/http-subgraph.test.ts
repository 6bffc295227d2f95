import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { isDependencyUnavailable } from "@lotgraph/kit";
import type { GraphQLError } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { HttpSubgraphDataSource } from "./http-subgraph.ts";

interface Seen {
  headers: IncomingHttpHeaders;
  body: unknown;
  remotePort: number | undefined;
}

/** A subgraph stand-in over real HTTP: records what it receives and answers as told. */
async function subgraph(answer: (seen: Seen) => { status: number; body: string }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      const request = { headers: req.headers, body: JSON.parse(text) as unknown, remotePort: req.socket.remotePort };
      seen.push(request);
      const { status, body } = answer(request);
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const fetchOf = (query: string, variables?: Record<string, unknown>) =>
  ({
    request: { query, variables, operationName: "Q" },
    context: { token: "t-1" },
  }) as unknown as GraphQLDataSourceProcessOptions;

const headersFrom = (context: Record<string, unknown>) => ({
  authorization: `Bearer ${String(context.token)}`,
  "x-request-id": "req-1",
});

describe("HttpSubgraphDataSource", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanup.splice(0).map((close) => close()));
  });

  it("posts the fetch as JSON with the forwarded headers, and reuses its connection", async () => {
    const server = await subgraph(() => ({ status: 200, body: JSON.stringify({ data: { lot: { id: "1" } } }) }));
    const source = new HttpSubgraphDataSource(server.url, headersFrom);
    cleanup.push(server.close, () => source.close());

    expect(await source.process(fetchOf("query Q($id: ID) { lot(id: $id) { id } }", { id: "1" }))).toEqual({
      data: { lot: { id: "1" } },
    });
    for (let i = 0; i < 5; i++) await source.process(fetchOf("query Q { lots { id } }"));

    expect(server.seen[0]!.body).toEqual({
      query: "query Q($id: ID) { lot(id: $id) { id } }",
      variables: { id: "1" },
      operationName: "Q",
    });
    expect(server.seen[0]!.headers).toMatchObject({
      authorization: "Bearer t-1",
      "x-request-id": "req-1",
      "content-type": "application/json",
    });
    // Kept alive: six fetches one after another ride one or two sockets (a socket is free again
    // just after its answer is read, so undici may open a second one), never one socket each.
    expect(new Set(server.seen.map((request) => request.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it("passes a subgraph's GraphQL errors on as data, as the executor expects", async () => {
    const errors = [{ message: "Not allowed", extensions: { code: "FORBIDDEN" } }];
    const server = await subgraph(() => ({ status: 200, body: JSON.stringify({ data: null, errors }) }));
    const source = new HttpSubgraphDataSource(server.url, headersFrom);
    cleanup.push(server.close, () => source.close());
    expect(await source.process(fetchOf("{ lots { id } }"))).toEqual({ data: null, errors });
  });

  it("turns a non-2xx answer into the error @apollo/gateway made of it, with the code of 401 and 403", async () => {
    const statuses = [401, 403, 500];
    const server = await subgraph(() => ({ status: statuses.shift()!, body: JSON.stringify({ message: "no" }) }));
    const source = new HttpSubgraphDataSource(server.url, headersFrom);
    cleanup.push(server.close, () => source.close());

    const failures = [];
    for (let i = 0; i < 3; i++)
      failures.push(await source.process(fetchOf("{ lots { id } }")).catch((e: unknown) => e));
    expect(failures.map((e) => [(e as GraphQLError).message, (e as GraphQLError).extensions.code])).toEqual([
      ["401: Unauthorized", "UNAUTHENTICATED"],
      ["403: Forbidden", "FORBIDDEN"],
      ["500: Internal Server Error", undefined],
    ]);
    expect((failures[2] as GraphQLError).extensions.response).toEqual({
      url: server.url,
      status: 500,
      body: { message: "no" },
    });
  });

  it("refuses a body that is not a JSON object", async () => {
    const server = await subgraph(() => ({ status: 200, body: "<html>proxy error</html>" }));
    const source = new HttpSubgraphDataSource(server.url, headersFrom);
    cleanup.push(server.close, () => source.close());
    await expect(source.process(fetchOf("{ lots { id } }"))).rejects.toThrow(/Expected a JSON object .*proxy error/);
  });

  it("fails a fetch to a subgraph that is not there as a dependency being unavailable", async () => {
    const server = await subgraph(() => ({ status: 200, body: "{}" }));
    await server.close();
    const source = new HttpSubgraphDataSource(server.url, headersFrom);
    cleanup.push(() => source.close());
    const error = await source.process(fetchOf("{ lots { id } }")).catch((e: unknown) => e);
    expect(isDependencyUnavailable(error)).toBe(true);
  });
});
