import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSubgraphYoga, startDataRuntime, type SubgraphApp, type SubgraphDeps } from "@lotgraph/kit";
import { InventoryService } from "./domain/inventory-service.ts";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createLoaders } from "./loaders.ts";
import { resolvers } from "./resolvers/index.ts";
import type { InventoryClient, InventoryTx } from "./store/inventory-store.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the inventory subgraph over its database; never listens (see index.ts). */
export async function createInventorySubgraph(deps: SubgraphDeps): Promise<SubgraphApp> {
  const data = await startDataRuntime<InventoryClient, InventoryTx>(deps, {
    migrationsDir: join(root, "prisma", "migrations"),
    createClient: (adapter) => new PrismaClient({ adapter }),
  });
  const yoga = createSubgraphYoga({
    name: "inventory",
    schemaPath: join(root, "schema.graphql"),
    resolvers,
    tokens: deps.tokens,
    logger: deps.logger,
    audit: data.db.driver,
    extendContext: (base) => {
      const loaders = createLoaders(data.db.client);
      return { ...base, inventory: new InventoryService(data.db, loaders), loaders };
    },
  });
  return { name: "inventory", handler: yoga, readiness: data.readiness, sql: data.db.driver, close: data.close };
}
