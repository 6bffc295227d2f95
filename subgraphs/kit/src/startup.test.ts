import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createEventBus } from "./bus/create-bus.ts";
import { Database } from "./db/database.ts";
import { createLogger } from "./logger.ts";
import { serve } from "./server/serve.ts";
import { StartupError, connectWithRetry, redactUrl } from "./startup.ts";

const logger = createLogger("silent", "startup-test");

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a start whose dependencies are away", () => {
  it("retries an unreachable PostgreSQL, then names DATABASE_URL, where it points and why, without the password", async () => {
    const port = await closedPort();
    const url = `postgres://lotgraph:s3cret@127.0.0.1:${port}/lotgraph`;
    const started = Date.now();
    const failure = await Database.open({
      target: { kind: "postgres", url, schema: "startup_test" },
      migrationsDir: "/nonexistent",
      createClient: () => ({ $transaction: async () => undefined as never, $disconnect: async () => undefined }),
      startupTimeoutSeconds: 1,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    const message = (failure as StartupError).message;
    expect(message).toMatch(
      /^DATABASE_URL: PostgreSQL at postgres:\/\/lotgraph:\*\*\*@127\.0\.0\.1:\d+\/lotgraph did not answer within 1 s/,
    );
    expect(message).toContain("ECONNREFUSED");
    expect(message).not.toContain("s3cret");
    // It did wait (back-off from 250 ms) before giving up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it("retries an unreachable NATS, then names NATS_URL", async () => {
    const port = await closedPort();
    const failure = await createEventBus({
      natsUrl: `nats://127.0.0.1:${port}`,
      logger,
      name: "startup-test",
      startupTimeoutSeconds: 1,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as StartupError).message).toMatch(
      /^NATS_URL: NATS JetStream at nats:\/\/127\.0\.0\.1:\d+ did not answer within 1 s/,
    );
  });

  it("does not retry what waiting cannot fix, and says so", async () => {
    let attempts = 0;
    const failure = await connectWithRetry(
      { variable: "DATABASE_URL", kind: "PostgreSQL", target: "postgres://x" },
      async () => {
        attempts++;
        throw Object.assign(new Error('password authentication failed for user "x"'), { code: "28P01" });
      },
      { timeoutSeconds: 30, logger },
    ).catch((error: unknown) => error);
    expect(attempts).toBe(1);
    expect((failure as StartupError).message).toBe(
      'DATABASE_URL: PostgreSQL at postgres://x refused the connection: 28P01: password authentication failed for user "x"',
    );
  });

  it("names the port setting when the port is taken", async () => {
    const first = await serve({ name: "first", port: 0, host: "127.0.0.1", logger, handler: (_req, res) => res.end() });
    try {
      const failure = await serve({
        name: "inventory",
        port: first.port,
        portVariable: "LOTGRAPH_SUBGRAPH_PORTS",
        host: "127.0.0.1",
        logger,
        handler: (_req, res) => res.end(),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StartupError);
      expect((failure as StartupError).message).toContain(
        `LOTGRAPH_SUBGRAPH_PORTS: inventory cannot listen on 127.0.0.1:${first.port}`,
      );
    } finally {
      await first.close();
    }
  });

  it("redacts a URL's password and survives one that is not a URL", () => {
    expect(redactUrl("postgres://u:p@h:5432/d")).toBe("postgres://u:***@h:5432/d");
    expect(redactUrl("nats://h:4222")).toBe("nats://h:4222");
    expect(redactUrl("::::")).toBe("(not a valid URL)");
  });
});
