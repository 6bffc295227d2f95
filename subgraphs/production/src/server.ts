import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { ProductionService } from "./domain/production-service.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import type { ProductionClient, ProductionTx } from "./store/run-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the production subgraph over its database; never listens (see index.ts). */
export async function createProductionSubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<ProductionClient, ProductionTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const production = new ProductionService();
  const yoga = createSubgraphYoga({
    name: "production",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    extendContext: (base) => ({ ...base, production, loaders: createLoaders(data.db.client) }),
  });
  return { name: "production", handler: yoga, readiness: data.readiness, sql: data.db.driver, close: data.close };
}
