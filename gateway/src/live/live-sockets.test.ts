import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type Client } from "graphql-ws";
import { createSchema, createYoga } from "graphql-yoga";
import { createLogger, TokenService } from "@lotgraph/kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { useBearerCheck } from "../bearer-check.ts";
import { directCallOf } from "../direct-call.ts";
import { attachLiveSockets, type LiveSockets } from "./live-sockets.ts";
import { SocketDeliveries } from "./socket-deliveries.ts";
import { CallerRateLimiter, DEFAULT_RATE_LIMITS } from "../rate-limits.ts";
import { TrustedDocuments } from "../trusted-documents.ts";

const SECRET = "live-sockets-test-secret-0123456789abcdef";
const logger = createLogger("silent", "live-sockets-test");

/** What an operation over the socket sees: its direct caller and the token its fetches carry. */
const schema = createSchema<Record<string, unknown>>({
  typeDefs: `type Query { caller: String, token: String }`,
  resolvers: {
    Query: {
      caller: (_root, _args, context) => directCallOf(context)?.principal.name ?? null,
      token: (_root, _args, context) => directCallOf(context)?.token ?? null,
    },
  },
});

const opened: Array<{ server: Server; sockets: LiveSockets; client: Client }> = [];
afterEach(async () => {
  for (const { server, sockets, client } of opened.splice(0)) {
    await client.dispose();
    await sockets.close();
    server.close();
  }
});

async function connect(tokens: TokenService, token: string) {
  const yoga = createYoga<Record<string, unknown>, Record<string, unknown>>({
    schema,
    logging: false,
    plugins: [
      // The gateway's edge check of HTTP requests: a socket's operations must not go through it.
      useBearerCheck(tokens),
    ],
  });
  const server = createServer(yoga);
  const sockets = attachLiveSockets({
    server,
    yoga,
    tokens,
    deliveries: new SocketDeliveries(),
    logger,
    rateLimiter: new CallerRateLimiter(DEFAULT_RATE_LIMITS),
    trustedDocuments: new TrustedDocuments({}),
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = createClient({
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    // One socket for every operation (a lazy client would reconnect for each).
    lazy: false,
  });
  opened.push({ server, sockets, client });
  return client;
}

function query(client: Client, text: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let result: unknown;
    client.subscribe(
      { query: text },
      { next: (value) => (result = value), error: reject, complete: () => resolve(result) },
    );
  });
}

describe("live sockets", () => {
  it("verify a socket's token once, at connection_init; its operations run as that session", async () => {
    const tokens = new TokenService(SECRET);
    const token = await tokens.sign({ id: "u1", name: "Alice", kind: "user", roles: ["OPERATOR"] }, 600);
    const verified = vi.spyOn(tokens, "session");
    const client = await connect(tokens, token);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await query(client, `{ caller token }`));
    expect(answers).toEqual(Array(3).fill({ data: { caller: "Alice", token } }));
    expect(verified).toHaveBeenCalledTimes(1);
  });
});
