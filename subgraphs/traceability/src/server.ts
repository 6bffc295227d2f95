import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { TraceabilityService } from "./domain/traceability-service.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { startGenealogyProjection } from "./projection.ts";
import { resolvers } from "./resolvers/index.ts";
import { SqlGenealogyStore, type TraceabilityClient, type TraceabilityTx } from "./store/sql-genealogy-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the traceability subgraph, its genealogy store and its consumer; never listens. */
export async function createTraceabilitySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<TraceabilityClient, TraceabilityTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const genealogy = new SqlGenealogyStore(data.db.client);
  const consumer = await startGenealogyProjection(data.db, deps.bus, deps.logger);
  const traceability = new TraceabilityService();
  const yoga = createSubgraphYoga({
    name: "traceability",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    extendContext: (base) => ({ ...base, traceability, loaders: createLoaders(genealogy) }),
  });
  return {
    name: "traceability",
    handler: yoga,
    readiness: data.readiness,
    sql: data.db.driver,
    async close() {
      await consumer.stop();
      await data.close();
    },
  };
}
