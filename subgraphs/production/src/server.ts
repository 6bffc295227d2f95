import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SubgraphClient,
  createSubgraphYoga,
  startDataRuntime,
  type SubgraphApp,
  type SubgraphDeps,
} from "@lotgraph/kit";
import type { ProductionDeps } from "./domain/common.ts";
import { createProductionServices } from "./domain/production-services.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { startFlowReconciler } from "./flow-reconciler.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import type { ProductionClient, ProductionTx } from "./store/db.ts";
import { InventoryClient } from "./store/inventory-client.ts";
import { QualityClient } from "./store/quality-client.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the production subgraph over its database; never listens (see index.ts). */
export async function createProductionSubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<ProductionClient, ProductionTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const inventory = new InventoryClient(
    new SubgraphClient({ caller: "production", url: () => deps.peerUrl("inventory"), tokens: deps.tokens }),
  );
  const quality = new QualityClient(
    new SubgraphClient({ caller: "production", url: () => deps.peerUrl("quality"), tokens: deps.tokens }),
  );
  const domain: ProductionDeps = { db: data.db, inventory, quality, logger: deps.logger };
  const reconciler = await startFlowReconciler(data.db, deps.bus, deps.logger);
  const yoga = createSubgraphYoga({
    name: "production",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    metrics: deps.metrics,
    audit: data.db.driver,
    extendContext: (base) => {
      const loaders = createLoaders(data.db.client);
      return { ...base, production: createProductionServices(domain, loaders), loaders };
    },
  });
  return {
    name: "production",
    handler: yoga,
    readiness: data.readiness,
    sql: data.db.driver,
    async close() {
      await reconciler.stop();
      await data.close();
    },
  };
}
