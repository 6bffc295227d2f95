import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { QualityService } from "./domain/quality-service.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { startLotProjection } from "./projection.ts";
import { resolvers } from "./resolvers/index.ts";
import type { QualityClient, QualityTx } from "./store/lot-quality-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the quality subgraph over its database and starts its consumers; never listens. */
export async function createQualitySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<QualityClient, QualityTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const consumer = await startLotProjection(data.db, deps.bus, deps.logger);
  const quality = new QualityService();
  const yoga = createSubgraphYoga({
    name: "quality",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    extendContext: (base) => ({ ...base, quality, loaders: createLoaders(data.db.client) }),
  });
  return {
    name: "quality",
    handler: yoga,
    readiness: data.readiness,
    sql: data.db.driver,
    async close() {
      await consumer.stop();
      await data.close();
    },
  };
}
