import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TokenService } from "../auth/tokens.ts";
import { SubgraphClient } from "./subgraph-client.ts";

const SECRET = "subgraph-client-test-secret-of-32-chars!";

/** A callee that drops the connection of its first request, unanswered, and answers the rest. */
async function flakyCallee(): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    if (requests === 1) {
      request.socket.destroy();
      return;
    }
    request.resume();
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ data: { ok: true } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, requests: () => requests, server };
}

describe("SubgraphClient on a dropped connection", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("sends a query again on a new connection", async () => {
    const callee = await flakyCallee();
    server = callee.server;
    const client = new SubgraphClient({ caller: "test", url: () => callee.url, tokens: new TokenService(SECRET) });
    await expect(client.request("query { ok }", {})).resolves.toEqual({ ok: true });
    expect(callee.requests()).toBe(2);
  });

  it("leaves a mutation's outcome to its caller: no second send", async () => {
    const callee = await flakyCallee();
    server = callee.server;
    const client = new SubgraphClient({ caller: "test", url: () => callee.url, tokens: new TokenService(SECRET) });
    await expect(client.request("mutation { ok }", {})).rejects.toThrow(/fetch failed/);
    expect(callee.requests()).toBe(1);
  });
});
