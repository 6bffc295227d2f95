/**
 * A peer gateway as its own process, for `npm run bench -- gateways`: stock @apollo/gateway in
 * Apollo Server 5 ("apollo"), Hive Gateway with its JavaScript planner ("hive") or with the Rust
 * one from @graphql-hive/router-runtime ("hive-rust"). Each is configured the way its docs show,
 * plus what any gateway in front of Lotgraph's subgraphs must do: forward the caller's
 * `authorization` and add the gateway's proof, as Lotgraph's gateway does (gateway/src/federation.ts).
 * Reports { type: "ready" } or { type: "failed", message } over IPC; PORT, LOTGRAPH_JWT_SECRET and
 * the `<NAME>_URL` of each subgraph come from the environment.
 */
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GATEWAY_PROOF_HEADER, GatewayCredential, TokenService, peerUrlsFromEnv } from "@lotgraph/kit";
import { ROOT } from "./gateways-processes.ts";

export type PeerKind = "apollo" | "hive" | "hive-rust";

/** The committed supergraph with each subgraph's URL replaced by where this run's process listens. */
async function supergraph(): Promise<string> {
  const urls = peerUrlsFromEnv();
  const sdl = await readFile(join(ROOT, "schema", "supergraph.graphql"), "utf8");
  return sdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (whole, name: string) => {
    const url = urls[name as keyof typeof urls];
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}

async function startApollo(sdl: string, port: number, proof: GatewayCredential): Promise<void> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import("@apollo/gateway");
  const { ApolloServer } = await import("@apollo/server");
  const { startStandaloneServer } = await import("@apollo/server/standalone");
  interface Context {
    authorization: string;
  }
  const gateway = new ApolloGateway({
    supergraphSdl: sdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<Context>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set("authorization", context.authorization);
          request.http?.headers.set(GATEWAY_PROOF_HEADER, proof.current());
        },
      }),
  });
  const server = new ApolloServer<Context>({ gateway });
  await startStandaloneServer(server, {
    listen: { port, host: "127.0.0.1" },
    context: async ({ req }) => ({ authorization: req.headers.authorization ?? "" }),
  });
}

async function startHive(sdl: string, port: number, proof: GatewayCredential, rust: boolean): Promise<void> {
  const { createGatewayRuntime } = await import("@graphql-hive/gateway-runtime");
  const planner = rust
    ? { unifiedGraphHandler: (await import("@graphql-hive/router-runtime")).unifiedGraphHandler }
    : {};
  const gateway = createGatewayRuntime({
    supergraph: sdl,
    // BENCH_PEER_LOG=debug shows why a request failed (answers mask errors).
    logging: (process.env.BENCH_PEER_LOG as "debug" | undefined) ?? false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get("authorization"),
        [GATEWAY_PROOF_HEADER]: proof.current(),
      }),
    },
    ...planner,
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  // A first request builds the executor, so a planner that cannot load fails here, not mid-bench.
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors?.length) throw new Error(`first request failed: ${JSON.stringify(body.errors)}`);
}

const kind = process.argv[2] as PeerKind;
// Hive's runtime traps SIGTERM to dispose of itself and then waits on open sockets; the bench
// only wants the process gone.
process.once("SIGTERM", () => process.exit(0));
try {
  const sdl = await supergraph();
  const port = Number(process.env.PORT);
  const proof = await GatewayCredential.create(new TokenService(process.env.LOTGRAPH_JWT_SECRET ?? ""));
  if (kind === "apollo") await startApollo(sdl, port, proof);
  else await startHive(sdl, port, proof, kind === "hive-rust");
  process.send?.({ type: "ready" });
} catch (error) {
  process.send?.({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
