/**
 * The all-in-one Lotgraph as a child process of a test (see lotgraph-process.ts): a process that
 * can be killed with SIGKILL and restarted on the same data, whose resident memory is its own,
 * and whose exit is seen. It starts from the environment its parent gives it and answers a few
 * requests over the IPC channel: the databases' checksums, a garbage collection, its memory.
 */
import { startLotgraph } from "@lotgraph/lotgraph";
import { databaseChecksums } from "./checksums.ts";

export type ChildRequest =
  | { id: number; type: "checksums" | "memory" | "stop" }
  | { id: number; type: "sql"; subgraph: string; sql: string; params?: unknown[] };
export type ChildMessage =
  | {
      type: "ready";
      gatewayUrl: string;
      subgraphUrls: Record<string, string>;
      admin: { email: string; password: string | null };
      startedInMs: number;
    }
  | { type: "reply"; id: number; value: unknown }
  | { type: "failed"; message: string };

const started = performance.now();
try {
  const lotgraph = await startLotgraph({
    env: process.env,
    gatewayPort: Number(process.env.LOTGRAPH_TEST_GATEWAY_PORT ?? 0),
    subgraphPorts: "ephemeral",
    schemaPrefix: process.env.LOTGRAPH_TEST_SCHEMA_PREFIX,
    quiet: true,
  });
  const send = (message: ChildMessage) => process.send?.(message);
  process.on("message", (raw) => {
    const request = raw as ChildRequest;
    const reply = (value: unknown) => send({ type: "reply", id: request.id, value });
    if (request.type === "checksums") void databaseChecksums(lotgraph.databases).then(reply);
    if (request.type === "memory") {
      // Run with --expose-gc: what is still referenced after a full collection is what counts.
      (globalThis as { gc?: () => void }).gc?.();
      reply(process.memoryUsage().rss);
    }
    if (request.type === "sql") {
      const driver = lotgraph.databases[request.subgraph as keyof typeof lotgraph.databases];
      void driver
        .query(request.sql, request.params ?? [])
        .then(reply, (error: Error) => reply({ error: error.message }));
    }
    if (request.type === "stop") void lotgraph.stop().then(() => (reply(true), process.exit(0)));
  });
  send({
    type: "ready",
    gatewayUrl: lotgraph.gatewayUrl,
    subgraphUrls: lotgraph.subgraphUrls,
    admin: lotgraph.admin,
    startedInMs: Math.round(performance.now() - started),
  });
} catch (error) {
  process.send?.({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
